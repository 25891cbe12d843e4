import { createHash } from 'node:crypto';
import { LOCALES, type Locale } from '../domain/locale';
import {
  BASE_VARIABLES,
  HANDOFF_VARIABLES,
  SYSTEM_TEMPLATE_VARIABLES,
  SYSTEM_TEMPLATES,
  TEMPLATE_VARIABLES,
  type Action,
  type CategoryRoute,
  type Content,
  type IntentDef,
  type Routing,
  type SystemTemplate,
  type TeamDef,
  type TemplateDef,
  type VerificationField,
  type WeekdayKey,
} from './model';
import { compareProblems, type ContentProblem } from './problem';
import {
  intentFileSchema,
  routingFileSchema,
  DEFAULT_REOPEN_WINDOW_MINUTES,
  DEFAULT_TEAM_CAPACITY,
  templatesFileSchema,
  WEEKDAYS,
  type IntentFile,
  type RoutingFile,
  type TemplatesFile,
} from './schema';
import { scanPlaceholders } from './template-variables';
import {
  parseYaml,
  positionOfPath,
  problemAtKey,
  problemAtOffset,
  problemAtPath,
  problemsFromIssues,
  rangeOfPath,
  syntaxProblems,
  type ParsedYaml,
  type YamlPath,
} from './yaml-positions';

/**
 * The whole content check, as a pure function of file contents: no file system, so tests feed
 * strings. Every problem in every file is collected before returning; nothing stops at the first.
 *
 * Checks per file (YAML syntax, duplicate keys, the zod schemas in `schema.ts`) and across files
 * (file name = intent id, unique intent/template ids, known categories/teams/verification fields/
 * templates, system templates present, template variables available to the template's kind,
 * `answer` present exactly when the intent is answered, no example text under two intents).
 */

/** One content file: `path` relative to the content root, e.g. `intents/store_hours.yaml`. */
export interface ContentFile {
  path: string;
  text: string;
}

export type ValidationResult =
  | { ok: true; content: Content; warnings: ContentProblem[] }
  | { ok: false; errors: ContentProblem[]; warnings: ContentProblem[] };

export interface ValidateOptions {
  /** Stored as `Content.loadedAt` (epoch ms). The validator never reads the clock itself. */
  now?: number;
}

/** Where the routing file lives, relative to the content root. */
export const ROUTING_FILE = 'intents/routing.yaml';

const YAML_EXT = /\.ya?ml$/;

/** Short sha256 of the sorted file paths and contents: equal files give an equal version. */
export function contentVersion(files: readonly ContentFile[]): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(f.path).update('\0').update(f.text).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

/** Lower-cased, trimmed, whitespace collapsed: how two example texts are compared. */
export function normalizeExample(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const asAction = (v: unknown): Action | undefined => (v === 'answer' || v === 'handoff' ? v : undefined);

interface IntentSource {
  parsed: ParsedYaml;
  /** File name without extension. */
  baseName: string;
  raw: Raw;
  data?: IntentFile;
}
interface TemplateSource {
  parsed: ParsedYaml;
  id: string;
  raw: unknown;
}

function lineOf(parsed: ParsedYaml, path: YamlPath): number {
  return positionOfPath(parsed, path).line;
}
function where(parsed: ParsedYaml, path: YamlPath): string {
  const pos = positionOfPath(parsed, path);
  return `${parsed.file}:${pos.line}:${pos.col}`;
}
function list(items: readonly string[]): string {
  return items.length ? items.join(', ') : '(none)';
}

/** Parses one file; returns its root mapping as plain JS, or reports why it cannot be used. */
function readRoot(parsed: ParsedYaml, errors: ContentProblem[], expected: string): Raw | null {
  const syntax = syntaxProblems(parsed);
  if (syntax.length) {
    errors.push(...syntax);
    return null;
  }
  let js: unknown;
  try {
    js = parsed.doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    errors.push(problemAtPath(parsed, [], `cannot read this YAML: ${(err as Error).message}`));
    return null;
  }
  if (js === null || js === undefined) {
    errors.push({ file: parsed.file, line: 1, col: 1, message: `file is empty (expected ${expected})` });
    return null;
  }
  if (!isRecord(js)) {
    errors.push(problemAtPath(parsed, [], `expected a mapping of keys (${expected})`));
    return null;
  }
  return js;
}

/**
 * Validates all content files at once. `files` are the YAML files of `intents/` and `templates/`
 * (other paths are reported). Returns the model, or every error; warnings either way.
 */
export function validateContent(files: readonly ContentFile[], options: ValidateOptions = {}): ValidationResult {
  const errors: ContentProblem[] = [];
  const warnings: ContentProblem[] = [];
  const sorted = [...files]
    .map((f) => ({ path: f.path.replace(/\\/g, '/'), text: f.text }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  // ---- classify and parse ------------------------------------------------------------------
  let routingParsed: ParsedYaml | null = null;
  let routingRaw: Raw | null = null;
  const intents: IntentSource[] = [];
  const templateFiles: { parsed: ParsedYaml; raw: Raw; data?: TemplatesFile }[] = [];
  let intentFileCount = 0;
  let templateFileCount = 0;
  let intentsComplete = true;
  let templatesComplete = true;

  for (const file of sorted) {
    const m = /^(intents|templates)\/([^/]+)$/.exec(file.path);
    if (!m || !YAML_EXT.test(file.path)) {
      errors.push({
        file: file.path,
        line: 1,
        col: 1,
        message: 'not a content file (expected intents/*.yaml or templates/*.yaml)',
      });
      continue;
    }
    const [, dir, name = ''] = m;
    const baseName = name.replace(YAML_EXT, '');
    const parsed = parseYaml(file.path, file.text);
    if (dir === 'intents' && baseName === 'routing') {
      if (routingParsed) {
        errors.push({
          file: file.path,
          line: 1,
          col: 1,
          message: `routing is already defined in ${routingParsed.file}; keep one file`,
        });
        continue;
      }
      routingParsed = parsed;
      routingRaw = readRoot(
        parsed,
        errors,
        'business, thresholds, human_category, categories, teams, verification_fields',
      );
      if (routingRaw) {
        const r = routingFileSchema.safeParse(routingRaw);
        if (!r.success) errors.push(...problemsFromIssues(parsed, r.error.issues));
      }
    } else if (dir === 'intents') {
      intentFileCount++;
      const raw = readRoot(parsed, errors, 'id, category, label, examples');
      if (!raw) {
        intentsComplete = false;
        continue;
      }
      const r = intentFileSchema.safeParse(raw);
      if (!r.success) errors.push(...problemsFromIssues(parsed, r.error.issues));
      intents.push({ parsed, baseName, raw, data: r.success ? r.data : undefined });
    } else {
      templateFileCount++;
      const raw = readRoot(parsed, errors, 'templates');
      if (!raw) {
        templatesComplete = false;
        continue;
      }
      const r = templatesFileSchema.safeParse(raw);
      if (!r.success) errors.push(...problemsFromIssues(parsed, r.error.issues));
      if (!isRecord(raw.templates)) templatesComplete = false;
      templateFiles.push({ parsed, raw, data: r.success ? r.data : undefined });
    }
  }

  if (intentFileCount === 0) {
    errors.push({
      file: 'intents/',
      line: 1,
      col: 1,
      message: 'no intent files: add one intents/<intent_id>.yaml per intent',
    });
  }
  if (!routingParsed) {
    errors.push({
      file: ROUTING_FILE,
      line: 1,
      col: 1,
      message: 'missing file: the routing (business, categories, teams) must be in intents/routing.yaml',
    });
  }
  if (templateFileCount === 0) {
    errors.push({
      file: 'templates/',
      line: 1,
      col: 1,
      message: 'no template files: add templates/<topic>.yaml with a `templates:` mapping',
    });
  }

  // ---- intent ids: file name and uniqueness -------------------------------------------------
  const intentsById = new Map<string, IntentSource[]>();
  for (const intent of intents) {
    const id = str(intent.raw.id);
    if (id === undefined) continue;
    if (id !== intent.baseName) {
      errors.push(
        problemAtPath(
          intent.parsed,
          ['id'],
          `id "${id}" does not match the file name "${intent.parsed.file}" (rename the file to intents/${id}.yaml or fix the id)`,
        ),
      );
    }
    intentsById.set(id, [...(intentsById.get(id) ?? []), intent]);
  }
  for (const [id, group] of intentsById) {
    if (group.length < 2) continue;
    for (const intent of group) {
      const others = group.filter((o) => o !== intent).map((o) => where(o.parsed, ['id']));
      errors.push(
        problemAtPath(
          intent.parsed,
          ['id'],
          `intent id "${id}" is defined more than once (also at ${others.join(', ')})`,
        ),
      );
    }
  }

  // ---- template ids: uniqueness across files ------------------------------------------------
  const templatesById = new Map<string, TemplateSource[]>();
  for (const tf of templateFiles) {
    if (!isRecord(tf.raw.templates)) continue;
    for (const [id, raw] of Object.entries(tf.raw.templates)) {
      templatesById.set(id, [...(templatesById.get(id) ?? []), { parsed: tf.parsed, id, raw }]);
    }
  }
  for (const [id, group] of templatesById) {
    if (group.length < 2) continue;
    for (const t of group) {
      const others = group
        .filter((o) => o !== t)
        .map((o) => {
          const key = problemAtKey(o.parsed, ['templates'], o.id, '');
          return `${key.file}:${key.line}:${key.col}`;
        });
      errors.push(
        problemAtKey(
          t.parsed,
          ['templates'],
          id,
          `template "${id}" is defined more than once (also at ${others.join(', ')})`,
        ),
      );
    }
  }
  const templateKnown = (id: string) => templatesById.has(id);

  // ---- routing cross-references --------------------------------------------------------------
  const rawCategories = routingRaw && isRecord(routingRaw.categories) ? routingRaw.categories : null;
  const rawTeams = routingRaw && isRecord(routingRaw.teams) ? routingRaw.teams : null;
  const rawFields = routingRaw && isRecord(routingRaw.verification_fields) ? routingRaw.verification_fields : null;
  const categoryAction = (category: string): Action | undefined => {
    const c = rawCategories?.[category];
    return isRecord(c) ? asAction(c.action) : undefined;
  };
  /** Template id → category ids that hand off with it. */
  const handoffUses = new Map<string, string[]>();

  if (routingParsed && routingRaw) {
    const rp = routingParsed;
    const human = str(routingRaw.human_category);
    if (human !== undefined && rawCategories && !(human in rawCategories)) {
      errors.push(
        problemAtPath(
          rp,
          ['human_category'],
          `unknown category "${human}" (categories: ${list(Object.keys(rawCategories))})`,
        ),
      );
    }
    for (const [catId, cat] of Object.entries(rawCategories ?? {})) {
      if (!isRecord(cat)) continue;
      const base = ['categories', catId];
      const team = str(cat.team);
      if (team !== undefined && rawTeams && !(team in rawTeams)) {
        errors.push(
          problemAtPath(rp, [...base, 'team'], `unknown team "${team}" (teams: ${list(Object.keys(rawTeams))})`),
        );
      }
      if (Array.isArray(cat.verify) && rawFields) {
        cat.verify.forEach((field, i) => {
          if (typeof field === 'string' && !(field in rawFields)) {
            errors.push(
              problemAtPath(
                rp,
                [...base, 'verify', i],
                `unknown verification field "${field}" (verification_fields: ${list(Object.keys(rawFields))})`,
              ),
            );
          }
        });
      }
      const tpl = str(cat.handoff_template);
      if (tpl !== undefined) {
        handoffUses.set(tpl, [...(handoffUses.get(tpl) ?? []), catId]);
        if (templatesComplete && !templateKnown(tpl)) {
          errors.push(
            problemAtPath(
              rp,
              [...base, 'handoff_template'],
              `unknown template "${tpl}": no file in templates/ defines it`,
            ),
          );
        }
      }
    }
  }

  // ---- intents: category, action, answer ----------------------------------------------------
  /** Template id → intent ids that answer with it. */
  const answerUses = new Map<string, string[]>();
  for (const intent of intents) {
    const { parsed, raw } = intent;
    const id = str(raw.id) ?? intent.baseName;
    const category = str(raw.category);
    if (category !== undefined && rawCategories && !(category in rawCategories)) {
      errors.push(
        problemAtPath(
          parsed,
          ['category'],
          `unknown category "${category}" (categories: ${list(Object.keys(rawCategories))})`,
        ),
      );
    }
    const own = asAction(raw.action);
    const action = own ?? (category !== undefined ? categoryAction(category) : undefined);
    const answer = str(raw.answer);
    if (answer !== undefined) answerUses.set(answer, [...(answerUses.get(answer) ?? []), id]);
    const why = own ? 'its action is' : `category "${category}" has action`;
    if (action === 'handoff' && raw.answer !== undefined) {
      errors.push(
        problemAtPath(
          parsed,
          ['answer'],
          `intent "${id}" is handed off (${why} handoff), so it must not have an answer; remove "answer" or set action: answer`,
        ),
      );
    } else if (action === 'answer' && raw.answer === undefined) {
      errors.push(
        problemAtPath(parsed, [], `intent "${id}" is answered by the bot (${why} answer) but has no "answer" template`),
      );
    }
    if (answer !== undefined && action !== 'handoff' && templatesComplete && !templateKnown(answer)) {
      errors.push(problemAtPath(parsed, ['answer'], `unknown template "${answer}": no file in templates/ defines it`));
    }
  }

  // ---- examples: the same text under two intents --------------------------------------------
  const examples = new Map<string, { intentId: string; parsed: ParsedYaml; path: YamlPath }[]>();
  for (const intent of intents) {
    const id = str(intent.raw.id) ?? intent.baseName;
    const ex = intent.raw.examples;
    if (!isRecord(ex)) continue;
    for (const locale of LOCALES) {
      const texts = ex[locale];
      if (!Array.isArray(texts)) continue;
      texts.forEach((text, i) => {
        if (typeof text !== 'string' || !text.trim()) return;
        const key = normalizeExample(text);
        examples.set(key, [
          ...(examples.get(key) ?? []),
          { intentId: id, parsed: intent.parsed, path: ['examples', locale, i] },
        ]);
      });
    }
  }
  for (const [text, uses] of examples) {
    const intentIds = new Set(uses.map((u) => u.intentId));
    if (intentIds.size > 1) {
      for (const use of uses) {
        const others = uses
          .filter((o) => o.intentId !== use.intentId)
          .map((o) => `"${o.intentId}" (${where(o.parsed, o.path)})`);
        if (!others.length) continue;
        errors.push(
          problemAtPath(
            use.parsed,
            use.path,
            `example "${text}" also appears under intent ${[...new Set(others)].join(', ')}; an example must belong to one intent`,
          ),
        );
      }
    } else {
      for (const use of uses.slice(1)) {
        warnings.push(
          problemAtPath(
            use.parsed,
            use.path,
            `example "${text}" is repeated in this intent (first at line ${lineOf(uses[0]!.parsed, uses[0]!.path)})`,
          ),
        );
      }
    }
  }

  // ---- templates: system ones present, variables, unused ------------------------------------
  if (templatesComplete && templateFileCount > 0) {
    for (const sys of SYSTEM_TEMPLATES) {
      if (!templateKnown(sys)) {
        errors.push({
          file: 'templates/',
          line: 1,
          col: 1,
          message: `missing system template "${sys}" (the engine sends it; define it in any templates/*.yaml)`,
        });
      }
    }
  }
  const isSystem = (id: string): id is SystemTemplate => (SYSTEM_TEMPLATES as readonly string[]).includes(id);
  for (const [id, group] of templatesById) {
    const t = group[0]!;
    const referenced = isSystem(id) || handoffUses.has(id) || answerUses.has(id);
    // A template nobody uses has no kind yet: only check that its variables exist at all. (It
    // is also how a renamed handoff template avoids a cascade of "not available" errors.)
    const { allowed, kind } = referenced
      ? allowedVariables(id, isSystem(id), handoffUses.has(id), answerUses.has(id))
      : { allowed: TEMPLATE_VARIABLES, kind: 'any template' };
    for (const { path, text } of templateTexts(t.raw, ['templates', id])) {
      checkPlaceholders(t.parsed, path, text, id, allowed, kind, errors);
    }
    if (!referenced && intentsComplete && routingRaw) {
      for (const dup of group) {
        warnings.push(
          problemAtKey(
            dup.parsed,
            ['templates'],
            id,
            `template "${id}" is never used (no intent answers with it and no category hands off with it)`,
          ),
        );
      }
    }
  }

  errors.sort(compareProblems);
  warnings.sort(compareProblems);
  if (errors.length) return { ok: false, errors, warnings };

  // ---- build the model (every schema passed, so the parsed data is complete) ----------------
  const routingData = routingFileSchema.parse(routingRaw);
  const routing = toRouting(routingData, routingParsed!);
  const content: Content = {
    intents: intents.map((i) => toIntent(i.data!, i.parsed, routing)),
    templates: new Map(
      templateFiles.flatMap((tf) =>
        Object.entries(tf.data!.templates).map(([id, t]) => [id, toTemplate(id, t, tf.parsed)] as const),
      ),
    ),
    routing,
    version: contentVersion(sorted),
    loadedAt: options.now ?? 0,
  };
  return { ok: true, content, warnings };
}

/** The variables a template may use: the intersection over every way it is used. */
function allowedVariables(
  id: string,
  system: boolean,
  handoff: boolean,
  answer: boolean,
): { allowed: readonly string[]; kind: string } {
  const sets: { vars: readonly string[]; kind: string }[] = [];
  if (system) sets.push({ vars: SYSTEM_TEMPLATE_VARIABLES[id as SystemTemplate], kind: `the system template "${id}"` });
  if (handoff) sets.push({ vars: HANDOFF_VARIABLES, kind: 'handoff templates' });
  if (answer || !sets.length) sets.push({ vars: BASE_VARIABLES, kind: 'answer templates' });
  let allowed: readonly string[] = sets[0]!.vars;
  let kind = sets[0]!.kind;
  for (const s of sets.slice(1)) {
    allowed = allowed.filter((v) => s.vars.includes(v));
    if (s.vars.length < sets[0]!.vars.length) kind = s.kind;
  }
  return { allowed, kind };
}

/** Every text string of one raw template entry with its YAML path (variants and channel overrides). */
function templateTexts(raw: unknown, base: YamlPath): { path: YamlPath; text: string }[] {
  const out: { path: YamlPath; text: string }[] = [];
  if (!isRecord(raw)) return out;
  const collect = (node: unknown, path: YamlPath) => {
    if (!isRecord(node)) return;
    for (const locale of LOCALES) {
      const texts = node[locale];
      if (!Array.isArray(texts)) continue;
      texts.forEach((text, i) => {
        if (typeof text === 'string') out.push({ path: [...path, locale, i], text });
      });
    }
  };
  collect(raw, base);
  if (isRecord(raw.channels)) {
    for (const [channel, override] of Object.entries(raw.channels)) collect(override, [...base, 'channels', channel]);
  }
  return out;
}

function checkPlaceholders(
  parsed: ParsedYaml,
  path: YamlPath,
  text: string,
  templateId: string,
  allowed: readonly string[],
  kind: string,
  errors: ContentProblem[],
): void {
  const range = rangeOfPath(parsed, path);
  const source = range ? parsed.text.slice(range[0], range[1]) : '';
  let searchFrom = 0;
  // Point at the placeholder itself when it appears verbatim in the source (plain, quoted
  // without escapes, block scalars); otherwise at the start of the string. Valid placeholders
  // are located too, so a later problem finds its own occurrence, not an earlier one.
  const locate = (raw: string): number | null => {
    const idx = source.indexOf(raw, searchFrom);
    if (!range || idx < 0) return null;
    searchFrom = idx + raw.length;
    return range[0] + idx;
  };
  for (const token of scanPlaceholders(text)) {
    const offset = locate(token.raw);
    let message: string | null = null;
    if (token.kind === 'unclosed') {
      message = `template "${templateId}" has "{{" without a closing "}}"`;
    } else if (token.kind === 'invalid') {
      message = `template "${templateId}" has an invalid variable ${token.raw} (expected {{ name }} with a lowercase name)`;
    } else if (!(TEMPLATE_VARIABLES as readonly string[]).includes(token.name)) {
      message = `template "${templateId}" uses {{${token.name}}}, which no code provides (variables: ${list(TEMPLATE_VARIABLES)})`;
    } else if (!allowed.includes(token.name)) {
      message = `template "${templateId}" uses {{${token.name}}}, which is not available in ${kind} (available: ${list(allowed)})`;
    }
    if (message === null) continue;
    errors.push(offset === null ? problemAtPath(parsed, path, message) : problemAtOffset(parsed, offset, message));
  }
}

function localeRecord<T>(v: { id: T; en: T }): Record<Locale, T> {
  return { id: v.id, en: v.en };
}

function toIntent(data: IntentFile, parsed: ParsedYaml, routing: Routing): IntentDef {
  const action = data.action ?? routing.categories[data.category]!.action;
  return {
    id: data.id,
    category: data.category,
    action,
    ...(action === 'answer' && data.answer !== undefined ? { answer: data.answer } : {}),
    label: localeRecord(data.label),
    examples: localeRecord(data.examples),
    source: { file: parsed.file, line: lineOf(parsed, ['id']) },
  };
}

function toTemplate(id: string, t: TemplatesFile['templates'][string], parsed: ParsedYaml): TemplateDef {
  const channels: TemplateDef['channels'] = {};
  for (const [channel, override] of Object.entries(t.channels ?? {})) {
    const entry: Partial<Record<Locale, string[]>> = {};
    if (override.id) entry.id = override.id;
    if (override.en) entry.en = override.en;
    channels[channel] = entry;
  }
  return {
    id,
    variants: localeRecord(t),
    channels,
    source: { file: parsed.file, line: problemAtKey(parsed, ['templates'], id, '').line },
  };
}

function toRouting(data: RoutingFile, parsed: ParsedYaml): Routing {
  const hours = {} as Routing['business']['calendar']['hours'];
  for (const day of WEEKDAYS as readonly WeekdayKey[]) {
    hours[day] = data.business.hours[day].map((range) => {
      const [open = '', close = ''] = range.split('-');
      return { open, close };
    });
  }
  const categories: Record<string, CategoryRoute> = {};
  for (const [id, c] of Object.entries(data.categories)) {
    categories[id] = {
      id,
      action: c.action,
      team: c.team,
      priority: c.priority,
      sla: { minMinutes: c.sla.min_minutes, maxMinutes: c.sla.max_minutes, businessHours: c.sla.business_hours },
      handoffTemplate: c.handoff_template,
      verify: c.verify ?? [],
      ...(c.thresholds ? { thresholds: { ...c.thresholds } } : {}),
      label: localeRecord(c.label),
    };
  }
  const teams: Record<string, TeamDef> = {};
  for (const [id, t] of Object.entries(data.teams))
    teams[id] = {
      id,
      name: localeRecord(t.name),
      where: localeRecord(t.where),
      autoAssign: t.auto_assign ?? false,
      capacity: t.capacity ?? DEFAULT_TEAM_CAPACITY,
    };
  const verificationFields: Record<string, VerificationField> = {};
  for (const [id, f] of Object.entries(data.verification_fields)) {
    verificationFields[id] = { id, label: localeRecord(f.label), pattern: f.pattern };
  }
  return {
    business: {
      name: data.business.name,
      calendar: { timezone: data.business.timezone, hours, holidays: [...data.business.holidays] },
      hoursText: localeRecord(data.business.hours_text),
      ticketPrefix: data.business.ticket_prefix,
    },
    thresholds: { ...data.thresholds },
    categories,
    teams,
    verificationFields,
    humanCategory: data.human_category,
    reopenWindowMinutes: data.reopen_window_minutes ?? DEFAULT_REOPEN_WINDOW_MINUTES,
    source: { file: parsed.file, line: 1 },
  };
}
