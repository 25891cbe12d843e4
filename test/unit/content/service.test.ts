import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Content } from '../../../src/content/model';
import type { ContentProblem } from '../../../src/content/problem';
import { ContentService, type ContentServiceEvents } from '../../../src/content/service';
import { ManualClock } from '../../../src/domain/clock';
import { AppError } from '../../../src/domain/errors';
import { FIXTURES } from './helpers';

jest.setTimeout(15_000);

let root: string;
let service: ContentService | undefined;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'content-service-'));
  await cp(path.join(FIXTURES, 'valid'), root, { recursive: true });
});
afterEach(async () => {
  service?.close();
  service = undefined;
  await rm(root, { recursive: true, force: true });
});

const file = (rel: string) => path.join(root, rel);
async function editFile(rel: string, from: string, to: string): Promise<void> {
  const text = await readFile(file(rel), 'utf8');
  if (!text.includes(from)) throw new Error(`${rel} does not contain ${from}`);
  await writeFile(file(rel), text.replace(from, to));
}

/** Resolves with the arguments of the first `event` whose arguments satisfy `accept`. */
function next<E extends keyof ContentServiceEvents>(
  s: ContentService,
  event: E,
  accept: (...args: ContentServiceEvents[E]) => boolean = () => true,
): Promise<ContentServiceEvents[E]> {
  return new Promise((resolve) => {
    const listener = (...args: ContentServiceEvents[E]) => {
      if (!accept(...args)) return;
      (s.off as (e: E, l: typeof listener) => void)(event, listener);
      resolve(args);
    };
    (s.on as (e: E, l: typeof listener) => void)(event, listener);
  });
}

const hoursText = (c: Content) => c.templates.get('store_hours')!.variants.id[1];

describe('ContentService', () => {
  it('refuses current() before a successful start', () => {
    service = new ContentService({ root });
    expect(() => service!.current()).toThrow(expect.objectContaining({ code: 'CONTENT_NOT_LOADED' }));
  });

  it('fails loud at startup with every problem', async () => {
    await editFile('intents/routing.yaml', 'team: billing', 'team: finance');
    await editFile('intents/store_hours.yaml', 'category: info', 'category: infos');
    service = new ContentService({ root });
    const err: unknown = await service.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('CONTENT_INVALID');
    const details = (err as AppError).details as { errors: ContentProblem[] };
    expect(details.errors.map((e) => `${e.file}:${e.line}`)).toEqual([
      'intents/routing.yaml:30',
      'intents/store_hours.yaml:2',
    ]);
  });

  it('hot-reloads: valid edit → updated, broken edit → rejected (old content stays), fix → updated', async () => {
    const clock = new ManualClock(1_000);
    service = new ContentService({ root, clock, debounceMs: 30 });
    const first = await service.start();
    expect(first.loadedAt).toBe(1_000);
    expect(hoursText(first)).toBe('Kami buka {{business_hours}}, Kak.');
    service.watch();

    clock.set(2_000);
    let updated = next(service, 'updated', (c) => hoursText(c) === 'Kami buka tiap hari, Kak.');
    await editFile('templates/answers.yaml', 'Kami buka {{business_hours}}, Kak.', 'Kami buka tiap hari, Kak.');
    const [second] = await updated;
    expect(service.current()).toBe(second);
    expect(second.version).not.toBe(first.version);
    expect(second.loadedAt).toBe(2_000);

    const rejected = next(service, 'rejected');
    await editFile('intents/store_hours.yaml', 'category: info', 'category: infos');
    const [errors] = await rejected;
    expect(errors).toEqual([
      {
        file: 'intents/store_hours.yaml',
        line: 2,
        col: 11,
        message: 'unknown category "infos" (categories: info, billing, human)',
      },
    ]);
    expect(service.current()).toBe(second);
    expect(service.status().errors).toEqual(errors);

    updated = next(service, 'updated');
    await editFile('intents/store_hours.yaml', 'category: infos', 'category: info');
    const [third] = await updated;
    expect(service.current()).toBe(third);
    expect(third.version).toBe(second.version);
    expect(service.status().errors).toEqual([]);
  });

  it('reload() reports the outcome and does nothing when the files did not change', async () => {
    service = new ContentService({ root });
    const first = await service.start();
    const events: string[] = [];
    service.on('updated', () => events.push('updated'));
    service.on('rejected', () => events.push('rejected'));

    expect(await service.reload()).toEqual({ ok: true, errors: [], warnings: [], changed: false });
    expect(service.current()).toBe(first);

    await writeFile(file('templates/extra.yaml'), 'templates:\n  spare:\n    id: [Tips]\n    en: [Tip]\n');
    const result = await service.reload();
    expect(result).toMatchObject({ ok: true, changed: true, errors: [] });
    expect(result.warnings.map((w) => `${w.file}:${w.line}`)).toEqual(['templates/extra.yaml:2']);
    expect(service.current().templates.has('spare')).toBe(true);
    expect(events).toEqual(['updated']);
  });

  it('makes new content current only after prepare resolves, and keeps the old one when prepare fails', async () => {
    const prepared: string[] = [];
    let gate: (() => void) | null = null;
    let fail = false;
    service = new ContentService({
      root,
      prepare: async (c) => {
        if (fail) throw new Error('training failed');
        if (gate === null && prepared.length > 0) await new Promise<void>((resolve) => (gate = resolve));
        prepared.push(c.version);
      },
    });
    const first = await service.start();
    expect(prepared).toEqual([first.version]);

    await editFile('templates/answers.yaml', 'Kami buka', 'Toko buka');
    const reloading = service.reload();
    await new Promise((r) => setImmediate(r));
    while (!gate) await new Promise((r) => setImmediate(r));
    expect(service.current()).toBe(first); // still training: the old content serves
    (gate as () => void)();
    expect((await reloading).ok).toBe(true);
    const second = service.current();
    expect(second).not.toBe(first);
    expect(prepared).toEqual([first.version, second.version]);

    fail = true;
    await editFile('templates/answers.yaml', 'Toko buka', 'Kami selalu buka');
    const rejected = next(service, 'rejected');
    const result = await service.reload();
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      { file: '.', line: 1, col: 1, message: 'the content is valid but preparing it failed: training failed' },
    ]);
    expect((await rejected)[0]).toEqual(result.errors);
    expect(service.current()).toBe(second);
  });

  it('fails startup when prepare fails', async () => {
    service = new ContentService({
      root,
      prepare: () => {
        throw new Error('no model');
      },
    });
    await expect(service.start()).rejects.toMatchObject({ code: 'CONTENT_INVALID' });
    expect(() => service!.current()).toThrow(AppError);
  });

  it('close() stops watching: later edits are not loaded', async () => {
    service = new ContentService({ root, debounceMs: 10 });
    const first = await service.start();
    service.watch();
    service.close();
    await editFile('templates/answers.yaml', 'Kami buka', 'Toko buka');
    // Waiting for something NOT to happen needs a pause: 20× the debounce. Had the watcher still
    // been running, the edit would be live by now and reload() would report `changed: false`.
    await new Promise((r) => setTimeout(r, 200));
    expect(service.current()).toBe(first);
    expect((await service.reload()).changed).toBe(true);
  });
});
