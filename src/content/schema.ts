import { z } from 'zod';

/**
 * The shape of each content file, as content staff write it (snake_case keys). These schemas check
 * one file at a time; everything that needs several files (unknown category, missing template,
 * duplicate ids…) is checked in `validate.ts`. `scripts/content-schema.ts` turns them into the JSON
 * Schemas in `schemas/`, so every `.describe()`/`.meta()` here becomes help text in editors.
 *
 * No transforms: the JSON Schema emitter cannot represent them, and `validate.ts` maps the parsed
 * files to the camelCase model anyway.
 */

/** `store_hours`, `billing`, `support_l1`: lowercase words joined by underscores. */
export const SNAKE_ID = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const snakeId = (what: string) =>
  z
    .string()
    .regex(SNAKE_ID, { error: `${what} must be snake_case (lowercase letters, digits and "_", e.g. store_hours)` });

/** Fewest training examples per locale an intent needs; the classifier is weak below this. */
export const MIN_EXAMPLES = { id: 15, en: 8 } as const;
/** Longest intent label: a WhatsApp reply button shows at most 20 characters. */
export const MAX_LABEL_CHARS = 20;

const LOCALE_NAMES = { id: 'Indonesian (id)', en: 'English (en)' } as const;
type LocaleKey = keyof typeof LOCALE_NAMES;

const missingLocale = (locale: LocaleKey) => (iss: { input?: unknown }) =>
  iss.input === undefined ? `missing locale "${locale}": every text needs both id and en` : undefined;

const nonBlank = z.string().regex(/\S/, { error: 'must not be blank' });

/** A short text per locale (team names, category labels, hours text). */
function localeText(description: string) {
  return z
    .strictObject({
      id: z
        .string({ error: missingLocale('id') })
        .regex(/\S/, { error: 'must not be blank' })
        .describe('Indonesian'),
      en: z
        .string({ error: missingLocale('en') })
        .regex(/\S/, { error: 'must not be blank' })
        .describe('English'),
    })
    .describe(description);
}

/** A list of text variants per locale (template replies). */
function variantList(locale: LocaleKey, required: boolean) {
  const list = z
    .array(nonBlank, { error: required ? missingLocale(locale) : undefined })
    .min(1, { error: `needs at least one ${LOCALE_NAMES[locale]} variant` })
    .describe(`${LOCALE_NAMES[locale]} variants; one is picked at random for each reply.`);
  return list;
}

// ---------------------------------------------------------------------------------------------
// intents/<intent_id>.yaml

const intentLabel = z
  .strictObject({
    id: z
      .string({ error: missingLocale('id') })
      .min(1)
      .max(MAX_LABEL_CHARS, {
        error: (iss) =>
          `label must be at most ${MAX_LABEL_CHARS} characters (WhatsApp button limit); "${String(iss.input)}" has ${String(iss.input).length}`,
      })
      .describe('Indonesian label'),
    en: z
      .string({ error: missingLocale('en') })
      .min(1)
      .max(MAX_LABEL_CHARS, {
        error: (iss) =>
          `label must be at most ${MAX_LABEL_CHARS} characters (WhatsApp button limit); "${String(iss.input)}" has ${String(iss.input).length}`,
      })
      .describe('English label'),
  })
  .describe(
    `Short topic name per locale (at most ${MAX_LABEL_CHARS} characters), shown as a choice when the bot asks which topic the customer means.`,
  );

function exampleList(locale: LocaleKey) {
  const min = MIN_EXAMPLES[locale];
  return z
    .array(nonBlank, { error: missingLocale(locale) })
    .min(min, {
      error: (iss) =>
        `needs at least ${min} ${LOCALE_NAMES[locale]} examples, has ${Array.isArray(iss.input) ? iss.input.length : 0}`,
    })
    .describe(`At least ${min} ${LOCALE_NAMES[locale]} ways customers phrase this (include informal chat spelling).`);
}

export const intentFileSchema = z
  .strictObject({
    id: snakeId('intent id').describe('snake_case id; must equal the file name (intents/<id>.yaml).'),
    category: snakeId('category').describe('A key of `categories` in intents/routing.yaml.'),
    action: z
      .enum(['answer', 'handoff'])
      .optional()
      .describe("Overrides the category's action, e.g. a light technical question the bot can answer."),
    answer: snakeId('template id')
      .optional()
      .describe('Template id to reply with. Required when the intent is answered; not allowed when it is handed off.'),
    label: intentLabel,
    examples: z
      .strictObject({ id: exampleList('id'), en: exampleList('en') })
      .describe('Training examples per locale. The same text must not appear under two intents.'),
  })
  .meta({
    title: 'MAJU JAYA intent',
    description: 'One intent: what customers say, which category it belongs to, and how the bot replies.',
  });
export type IntentFile = z.infer<typeof intentFileSchema>;

// ---------------------------------------------------------------------------------------------
// templates/<topic>.yaml

const channelOverride = z
  .strictObject({ id: variantList('id', false).optional(), en: variantList('en', false).optional() })
  .describe('Per-channel variants; a missing locale falls back to the main variants.');

export const templateSchema = z
  .strictObject({
    id: variantList('id', true),
    en: variantList('en', true),
    channels: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'channel name must be lowercase, e.g. whatsapp' }),
        channelOverride,
      )
      .optional()
      .describe('Optional overrides per channel, e.g. a shorter text for whatsapp.'),
  })
  .describe(
    'Reply text variants. Variables: {{ customer_name }}, {{ business_name }}, {{ business_hours }}; handoff templates also {{ team }}, {{ team_where }}, {{ sla }}, {{ reply_by }}, {{ ticket_number }}.',
  );

export const templatesFileSchema = z
  .strictObject({
    templates: z
      .record(
        z.string().regex(SNAKE_ID, { error: 'template id must be snake_case (e.g. store_hours)' }),
        templateSchema,
      )
      .describe('Templates by id; ids are unique across all files in templates/.'),
  })
  .meta({
    title: 'MAJU JAYA reply templates',
    description: 'Reply templates by id. Intents name them in `answer`; categories in `handoff_template`.',
  });
export type TemplatesFile = z.infer<typeof templatesFileSchema>;
export type TemplateEntry = z.infer<typeof templateSchema>;

// ---------------------------------------------------------------------------------------------
// intents/routing.yaml

/** Whether `zone` is an IANA time zone this Node runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

const HOURS_RANGE = /^(?:[01]\d|2[0-3]):[0-5]\d-(?:[01]\d|2[0-3]):[0-5]\d$/;
const hoursRange = z
  .string()
  .regex(HOURS_RANGE, { error: 'expected "HH:MM-HH:MM" (24-hour clock), e.g. "08:00-17:00"' })
  .refine((r) => {
    const [open = '', close = ''] = r.split('-');
    return minutesOf(open) < minutesOf(close);
  }, 'opening time must be before closing time');

const dayHours = (day: string) =>
  z
    .array(hoursRange)
    .refine((ranges) => {
      const parsed = ranges
        .filter((r) => HOURS_RANGE.test(r))
        .map((r) => r.split('-').map(minutesOf) as [number, number])
        .sort((a, b) => a[0] - b[0]);
      return parsed.every((r, i) => i === 0 || r[0] >= parsed[i - 1]![1]);
    }, 'opening ranges of one day must not overlap')
    .describe(`Opening ranges on ${day}, e.g. ["08:00-12:00", "13:00-17:00"]; [] means closed.`);

/** A real calendar date written `YYYY-MM-DD`. */
export function isValidDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const holiday = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date written YYYY-MM-DD' })
  .refine((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || isValidDate(d), 'not a real calendar date');

const threshold = (what: string) =>
  z.number().min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' }).describe(what);

const thresholdFields = {
  answer: threshold('Top intent confidence at or above which the bot acts without asking.'),
  margin: threshold('Minimum lead of the top intent over the runner-up to act without asking.'),
  candidate: threshold('Intents below this confidence are not offered as choices in a clarifying question.'),
};

const slaSchema = z
  .strictObject({
    min_minutes: z
      .int()
      .min(0, { error: 'must be 0 or more' })
      .describe('Earliest promised first response, in minutes.'),
    max_minutes: z.int().min(0, { error: 'must be 0 or more' }).describe('Latest promised first response, in minutes.'),
    business_hours: z.boolean().describe('true: count only opening hours (e.g. "2–4 working hours").'),
  })
  .refine((s) => s.max_minutes >= s.min_minutes, {
    path: ['max_minutes'],
    error: 'max_minutes must be at least min_minutes',
  })
  .describe('First-response target shown to the customer and used for the ticket deadline.');

const categorySchema = z
  .strictObject({
    label: localeText('Category name shown to agents and customers.'),
    action: z.enum(['answer', 'handoff']).describe('answer: the bot replies; handoff: a person takes over.'),
    team: snakeId('team id').describe('A key of `teams`.'),
    priority: z.int().min(0).max(9).describe('Queue priority, 0 = most urgent (emergency) … 9.'),
    sla: slaSchema,
    handoff_template: snakeId('template id').describe(
      'Template sent on handoff; may use {{ team }}, {{ team_where }}, {{ sla }}, {{ reply_by }}, {{ ticket_number }}.',
    ),
    verify: z
      .array(snakeId('verification field id'))
      .optional()
      .describe('Identity details to ask for before queuing (keys of `verification_fields`).'),
    thresholds: z.strictObject(thresholdFields).partial().optional().describe('Overrides of the global thresholds.'),
  })
  .describe('How one inquiry category is routed.');

/** Open tickets an agent of a team holds at most before auto-assignment skips them, when the team does not say. */
export const DEFAULT_TEAM_CAPACITY = 3;
/** Minutes after a resolve during which a customer message reopens the ticket, when routing does not say. */
export const DEFAULT_REOPEN_WINDOW_MINUTES = 30;

const teamSchema = z
  .strictObject({
    name: localeText('Team name the customer sees, e.g. "tim Billing".'),
    where: localeText('Where the team answers, e.g. "di chat ini" / "in this chat".'),
    auto_assign: z
      .boolean()
      .optional()
      .describe(
        'true: a new ticket goes straight to the least-loaded online agent of the team (under capacity); false (default): agents claim from the queue.',
      ),
    capacity: z
      .int()
      .min(1, { error: 'must be 1 or more' })
      .max(50, { error: 'must be at most 50' })
      .optional()
      .describe(
        `Open tickets one agent of this team holds at most before auto-assignment skips them (default ${DEFAULT_TEAM_CAPACITY}). Manual claims ignore it.`,
      ),
  })
  .describe('A team of agents.');

const verificationFieldSchema = z
  .strictObject({
    label: localeText('What we ask for, e.g. "nomor pelanggan".'),
    pattern: z
      .string()
      .refine(
        (p) => {
          try {
            new RegExp(p);
            return true;
          } catch {
            return false;
          }
        },
        { error: (iss) => `not a valid regular expression: ${regexError(String(iss.input))}` },
      )
      .describe('JavaScript regular expression the trimmed answer must match, e.g. "^\\\\d{8,12}$".'),
  })
  .describe('An identity detail asked before a handoff.');

function regexError(source: string): string {
  try {
    new RegExp(source);
    return 'unknown error';
  } catch (err) {
    return (err as Error).message;
  }
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const routingFileSchema = z
  .strictObject({
    business: z
      .strictObject({
        name: z.string().min(1).describe('Business name ({{ business_name }}).'),
        ticket_prefix: z
          .string()
          .regex(/^[A-Z]{1,5}$/, { error: 'ticket_prefix must be 1–5 capital letters, e.g. MJ' })
          .describe('Ticket number prefix, e.g. MJ gives MJ-000042.'),
        timezone: z
          .string()
          .refine(isValidTimeZone, {
            error: (iss) => `unknown time zone "${String(iss.input)}" (expected an IANA zone such as Asia/Jakarta)`,
          })
          .describe('IANA time zone of the opening hours, e.g. Asia/Jakarta.'),
        hours: z
          .strictObject(
            Object.fromEntries(WEEKDAYS.map((d) => [d, dayHours(d)])) as Record<
              (typeof WEEKDAYS)[number],
              ReturnType<typeof dayHours>
            >,
          )
          .describe('Opening hours for all seven days (mon … sun).'),
        holidays: z.array(holiday).describe('Closed dates, YYYY-MM-DD.'),
        hours_text: localeText('Opening hours as customers read them ({{ business_hours }}).'),
      })
      .describe('The business: name, ticket prefix, calendar.'),
    thresholds: z.strictObject(thresholdFields).describe('Global confidence thresholds of the reply policy.'),
    human_category: snakeId('category').describe(
      'Category used when a customer asks for a person; must be a key of `categories`.',
    ),
    categories: z
      .record(z.string().regex(SNAKE_ID, { error: 'category id must be snake_case' }), categorySchema)
      .describe('Inquiry categories by id.'),
    teams: z
      .record(z.string().regex(SNAKE_ID, { error: 'team id must be snake_case' }), teamSchema)
      .describe('Teams by id.'),
    verification_fields: z
      .record(
        z.string().regex(SNAKE_ID, { error: 'verification field id must be snake_case' }),
        verificationFieldSchema,
      )
      .describe('Identity details by id.'),
    reopen_window_minutes: z
      .int()
      .min(0, { error: 'must be 0 or more' })
      .max(10_080, { error: 'must be at most 10080 (one week)' })
      .optional()
      .describe(
        `A customer message within this many minutes of a resolve reopens the ticket to the same team; later ones start a new conversation with the bot. 0 never reopens. Default ${DEFAULT_REOPEN_WINDOW_MINUTES}.`,
      ),
  })
  .meta({
    title: 'MAJU JAYA routing',
    description: 'Business calendar, thresholds, categories, teams and identity checks (intents/routing.yaml).',
  });
export type RoutingFile = z.infer<typeof routingFileSchema>;
