import { EventEmitter } from 'node:events';
import { existsSync, watch as fsWatch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { systemClock, type Clock } from '../domain/clock';
import { AppError } from '../domain/errors';
import { CANNED_DIR } from './canned';
import { CONTENT_DIRS, loadContent } from './load';

/** Watched as well when present: files other loaders read (the console's canned responses). */
const WATCHED_EXTRA_DIRS = [CANNED_DIR];
import type { Content } from './model';
import type { ContentProblem } from './problem';
import type { ValidationResult } from './validate';

/** What `reload()` reports. `changed` is false when the files were identical to the live content. */
export interface ReloadResult {
  ok: boolean;
  errors: ContentProblem[];
  warnings: ContentProblem[];
  changed: boolean;
}

/** Events: `updated` once new content is live; `rejected` when a change was refused (old content stays). */
export interface ContentServiceEvents {
  updated: [content: Content];
  rejected: [errors: ContentProblem[], warnings: ContentProblem[]];
  /** A watched file changed (debounced), whatever the reload makes of it; canned responses included. */
  files_changed: [];
}

export type ContentLog = (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;

export interface ContentServiceOptions {
  /** Directory containing `intents/` and `templates/`. */
  root: string;
  /** Stamps `Content.loadedAt`. */
  clock?: Clock;
  /** Quiet time after the last file event before reloading (editors save in several steps). */
  debounceMs?: number;
  /** Where watcher trouble is reported (the service never logs on its own). */
  onLog?: ContentLog;
  /**
   * Work that must finish before new content goes live, e.g. training the NLU on it. If it
   * throws, the change is rejected like invalid content and the old content stays live.
   */
  prepare?: (content: Content) => Promise<void> | void;
}

/**
 * Holds the live content and swaps it safely: loads and validates the files, runs `prepare`, and
 * only then makes the new content current. An invalid change (or a failing `prepare`) is
 * rejected with every problem, and the last good content keeps serving. `watch()` reloads on file
 * changes, debounced.
 *
 * ```ts
 * const content = new ContentService({ root, prepare: async (c) => models.set(c, await train(c)) });
 * content.on('rejected', (errors) => log.warn(errors.map(formatProblem)));
 * await content.start(); // throws AppError CONTENT_INVALID listing every problem
 * content.watch();
 * ```
 */
export class ContentService extends EventEmitter<ContentServiceEvents> {
  private readonly root: string;
  private readonly clock: Clock;
  private readonly debounceMs: number;
  private readonly log: ContentLog;
  private readonly prepare?: (content: Content) => Promise<void> | void;
  private live: Content | null = null;
  private lastErrors: ContentProblem[] = [];
  private lastWarnings: ContentProblem[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(options: ContentServiceOptions) {
    super();
    this.root = options.root;
    this.clock = options.clock ?? systemClock;
    this.debounceMs = options.debounceMs ?? 150;
    this.log = options.onLog ?? (() => {});
    this.prepare = options.prepare;
  }

  /**
   * Initial load. Invalid content (or a failing `prepare`) throws
   * `AppError('CONTENT_INVALID', …, { errors, warnings })` so the app fails loud at startup.
   */
  async start(): Promise<Content> {
    const result = await this.serialized(() => this.attempt());
    if (!result.ok) {
      const n = result.errors.length;
      throw new AppError(
        'CONTENT_INVALID',
        `Content in ${this.root} has ${n} problem${n === 1 ? '' : 's'}`,
        { errors: result.errors, warnings: result.warnings },
        { cause: result.cause },
      );
    }
    return this.current();
  }

  /** The last good content. Throws `CONTENT_NOT_LOADED` before the first successful load. */
  current(): Content {
    if (!this.live) throw new AppError('CONTENT_NOT_LOADED');
    return this.live;
  }

  /** The live version and the problems of the latest load attempt (for health and console pages). */
  status(): { version: string | null; loadedAt: number | null; errors: ContentProblem[]; warnings: ContentProblem[] } {
    return {
      version: this.live?.version ?? null,
      loadedAt: this.live?.loadedAt ?? null,
      errors: this.lastErrors,
      warnings: this.lastWarnings,
    };
  }

  /**
   * Loads the files again. On success the new content becomes current and `updated` is emitted;
   * on failure the old content stays current and `rejected` is emitted with every problem.
   * Reloads run one at a time, in call order.
   */
  async reload(): Promise<ReloadResult> {
    return this.serialized(async () => {
      const result = await this.attempt();
      const { ok, errors, warnings, changed } = result;
      if (!ok) this.emit('rejected', errors, warnings);
      else if (changed) this.emit('updated', this.current());
      return { ok, errors, warnings, changed };
    });
  }

  /**
   * Reloads when files in `intents/` or `templates/` change (debounced), and emits `files_changed`
   * for every debounced change, also in `templates/canned/` (canned responses, which the console
   * loads itself) and also when the content version stays the same. Idempotent.
   */
  watch(): void {
    if (this.closed || this.watchers.length) return;
    const optional = WATCHED_EXTRA_DIRS.filter((dir) => existsSync(path.join(this.root, dir)));
    for (const dir of [...CONTENT_DIRS, ...optional]) {
      const full = path.join(this.root, dir);
      try {
        const watcher = fsWatch(full, () => this.schedule());
        watcher.on('error', (err) => this.log('warn', 'content watcher stopped', { dir, error: err.message }));
        this.watchers.push(watcher);
      } catch (err) {
        this.log('warn', 'cannot watch content directory', { dir, error: (err as Error).message });
      }
    }
  }

  /** Stops watching and cancels a pending reload. The current content stays readable. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.emit('files_changed');
      this.reload().catch((err: unknown) =>
        this.log('error', 'content reload failed unexpectedly', { error: (err as Error).message }),
      );
    }, this.debounceMs);
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async attempt(): Promise<ReloadResult & { cause?: unknown }> {
    let result: ValidationResult;
    try {
      result = await loadContent(this.root, { now: this.clock.now() });
    } catch (err) {
      const errors = [rootProblem(`cannot read the content files: ${(err as Error).message}`)];
      return this.record({ ok: false, errors, warnings: [], changed: false, cause: err });
    }
    if (!result.ok) return this.record({ ok: false, errors: result.errors, warnings: result.warnings, changed: false });

    const next = result.content;
    const healthy = this.lastErrors.length === 0;
    if (this.live && healthy && next.version === this.live.version) {
      return this.record({ ok: true, errors: [], warnings: result.warnings, changed: false });
    }
    if (this.prepare) {
      try {
        await this.prepare(next);
      } catch (err) {
        const errors = [rootProblem(`the content is valid but preparing it failed: ${(err as Error).message}`)];
        return this.record({ ok: false, errors, warnings: result.warnings, changed: false, cause: err });
      }
    }
    this.live = next;
    return this.record({ ok: true, errors: [], warnings: result.warnings, changed: true });
  }

  private record<T extends ReloadResult>(result: T): T {
    this.lastErrors = result.errors;
    this.lastWarnings = result.warnings;
    return result;
  }
}

/** A problem about the content as a whole (no single file), shown as `.:1:1 …`. */
function rootProblem(message: string): ContentProblem {
  return { file: '.', line: 1, col: 1, message };
}
