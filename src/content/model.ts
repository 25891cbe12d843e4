import type { Locale } from '../domain/locale';

/**
 * The validated, in-memory shape of everything content staff edit (`intents/`, `templates/`).
 * The loader turns YAML files into this; everything downstream (NLU training, policy, rendering)
 * reads only this model, never files.
 */

/** Where a definition came from, for error messages and the console. */
export interface SourceRef {
  file: string;
  line: number;
}

export type Action = 'answer' | 'handoff';

/** One intent: what customers say, which category it belongs to, and how we reply. */
export interface IntentDef {
  /** snake_case, unique across all files. */
  id: string;
  /** A key of `Routing.categories`. */
  category: string;
  /** Overrides the category's action (e.g. light technical questions are answered). */
  action: Action;
  /** Template id to answer with; required when `action` is `answer`. */
  answer?: string;
  /** Short topic label per locale (≤ 20 chars: WhatsApp button limit) used in clarifying questions. */
  label: Record<Locale, string>;
  /** Training examples per locale. */
  examples: Record<Locale, string[]>;
  source: SourceRef;
}

/** Reply text variants; one is picked at random (injected Rng) per reply. */
export interface TemplateDef {
  id: string;
  variants: Record<Locale, string[]>;
  /** Per-channel overrides, e.g. a shorter WhatsApp text. Missing locales fall back to `variants`. */
  channels: Record<string, Partial<Record<Locale, string[]>>>;
  source: SourceRef;
}

/** Opening hours per weekday; `[]` means closed. Times are `HH:MM` in the calendar timezone. */
export type WeekdayKey = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export interface BusinessCalendar {
  /** IANA zone, default `Asia/Jakarta`. */
  timezone: string;
  hours: Record<WeekdayKey, { open: string; close: string }[]>;
  /** Closed dates, `YYYY-MM-DD` in the calendar timezone. */
  holidays: string[];
}

/** First-response target. `businessHours: true` counts only open hours. */
export interface SlaTarget {
  minMinutes: number;
  maxMinutes: number;
  businessHours: boolean;
}

/** Confidence thresholds of the policy; see `dialogue/policy.ts` for how each is used. */
export interface Thresholds {
  /** Top intent confidence at or above which we act without asking. */
  answer: number;
  /** Minimum lead of the top intent over the runner-up to act without asking. */
  margin: number;
  /** Candidates below this confidence are not offered as clarification choices. */
  candidate: number;
}

export interface CategoryRoute {
  id: string;
  action: Action;
  team: string;
  /** 0 = most urgent (emergency). */
  priority: number;
  sla: SlaTarget;
  /** Template sent to the customer on handoff (who, where, how soon). */
  handoffTemplate: string;
  /** Identity fields to ask for before queuing (keys of `Routing.verificationFields`). */
  verify: string[];
  /** Per-category overrides of the global thresholds. */
  thresholds?: Partial<Thresholds>;
  label: Record<Locale, string>;
}

export interface TeamDef {
  id: string;
  name: Record<Locale, string>;
  /** Where the team answers, e.g. "di chat ini" / "in this chat". */
  where: Record<Locale, string>;
  /** New tickets go straight to the least-loaded online agent of the team (`pickAgent`). */
  autoAssign: boolean;
  /** Open tickets one agent holds at most before auto-assignment skips them. */
  capacity: number;
}

export interface VerificationField {
  id: string;
  label: Record<Locale, string>;
  /** A JS regular expression source the customer's answer must match (after trimming). */
  pattern: string;
}

export interface Routing {
  business: {
    name: string;
    calendar: BusinessCalendar;
    /** Human text of the opening hours, per locale (the `{{business_hours}}` variable). */
    hoursText: Record<Locale, string>;
    /** Ticket number prefix, e.g. `MJ`. */
    ticketPrefix: string;
  };
  thresholds: Thresholds;
  categories: Record<string, CategoryRoute>;
  teams: Record<string, TeamDef>;
  verificationFields: Record<string, VerificationField>;
  /** Category used when a customer explicitly asks for a person. */
  humanCategory: string;
  /** A customer message within this many minutes of a resolve reopens the ticket (`afterResolved`). */
  reopenWindowMinutes: number;
  source: SourceRef;
}

export interface Content {
  intents: IntentDef[];
  templates: Map<string, TemplateDef>;
  routing: Routing;
  /** Short hash of all files, shown in /readyz and logs to tell which content is live. */
  version: string;
  loadedAt: number;
}

/**
 * Template ids the engine itself uses; the loader reports any that are missing.
 * Each must exist in both locales.
 */
export const SYSTEM_TEMPLATES = [
  /** The clarifying question; followed by the choices. */
  'clarify_question',
  /** Label of the "something else / talk to a person" choice. */
  'clarify_other_label',
  /** Appended under a numbered list on channels without buttons: "Balas dengan angka …". */
  'clarify_numbered_hint',
  /** Asks for identity details before a billing handoff (`{{fields}}`, `{{team}}`). */
  'verify_request',
  /** The details did not look right; ask once more or type "lewati". */
  'verify_retry',
  /** Added to the channel-switch message when the business is closed: the team answers from `{{next_opening}}`. */
  'handoff_after_hours',
  /** Added to the channel-switch message when nobody of the team is online: supervisors are alerted; `{{reply_by}}`. */
  'handoff_no_agent',
  'sla_delay',
  /** The customer typed "batal" while queued: the ticket is cancelled and the bot is back. */
  'handoff_cancelled',
  /** A message soon after a resolve reopened the ticket to the same team. */
  'ticket_reopened',
  /** After an agent resolved the ticket: "how satisfied are you, 1–5?" (buttons added by the bot). */
  'csat_question',
  /** Thanks for a rating of 4 or 5. */
  'csat_thanks',
  /** Thanks for a rating of 1 to 3, with an apology. */
  'csat_thanks_low',
  /** `/start` (chat apps): a greeting in the language of the customer's app. */
  'welcome',
  /** `/help`: what the bot can do and how to reach a person. */
  'help',
  /** A voice note, sticker, location, contact or uncaptioned photo while the bot serves: please type. */
  'non_text_prompt',
  /** `/cancel` while nobody waits for a person: the open question (clarification, details) is dropped. */
  'command_cancelled',
  /** A button from a question that is no longer open was pressed: it has expired, please type. */
  'choice_expired',
] as const;

/**
 * Every `{{variable}}` a template may use. Templates using anything else fail validation,
 * because no code would fill it in.
 */
export const TEMPLATE_VARIABLES = [
  'customer_name', // the customer's display name, or a polite default ("Kak" / "there")
  'business_name', // MAJU JAYA
  'business_hours', // routing.business.hoursText
  'team', // the team's display name (handoff templates)
  'team_where', // where the team answers
  'sla', // "2–4 jam kerja" / "2–4 working hours"
  'reply_by', // the first-response deadline as local time, e.g. "Senin, 08.00 WIB"
  'ticket_number', // MJ-000042
  'fields', // the identity fields to ask for, joined ("nomor pelanggan")
  'count', // number of choices (numbered hint)
  'next_opening', // when the business opens next, as local time: "Senin, 8 Desember pukul 08.00 WIB"
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** Variables the engine fills in for every reply (answers included). */
export const BASE_VARIABLES = [
  'customer_name',
  'business_name',
  'business_hours',
] as const satisfies readonly TemplateVariable[];

/** Variables available in a category's `handoff_template` (the channel-switch message). */
export const HANDOFF_VARIABLES = [
  ...BASE_VARIABLES,
  'team',
  'team_where',
  'sla',
  'reply_by',
  'ticket_number',
] as const satisfies readonly TemplateVariable[];

export type SystemTemplate = (typeof SYSTEM_TEMPLATES)[number];

/**
 * Which variables each kind of template may use. Answer templates (named by intents) and any
 * template not named elsewhere get `BASE_VARIABLES`; handoff templates get `HANDOFF_VARIABLES`.
 */
export const SYSTEM_TEMPLATE_VARIABLES: Record<SystemTemplate, readonly TemplateVariable[]> = {
  clarify_question: BASE_VARIABLES,
  clarify_other_label: BASE_VARIABLES,
  clarify_numbered_hint: [...BASE_VARIABLES, 'count'],
  verify_request: [...BASE_VARIABLES, 'fields', 'team'],
  verify_retry: [...BASE_VARIABLES, 'fields'],
  handoff_after_hours: [...BASE_VARIABLES, 'team', 'next_opening', 'ticket_number'],
  handoff_no_agent: [...BASE_VARIABLES, 'team', 'reply_by', 'ticket_number'],
  sla_delay: [...BASE_VARIABLES, 'team', 'reply_by', 'ticket_number'],
  handoff_cancelled: [...BASE_VARIABLES, 'ticket_number'],
  ticket_reopened: [...BASE_VARIABLES, 'team', 'team_where', 'ticket_number'],
  csat_question: [...BASE_VARIABLES, 'ticket_number'],
  csat_thanks: BASE_VARIABLES,
  csat_thanks_low: BASE_VARIABLES,
  welcome: BASE_VARIABLES,
  help: BASE_VARIABLES,
  non_text_prompt: BASE_VARIABLES,
  command_cancelled: BASE_VARIABLES,
  choice_expired: BASE_VARIABLES,
};
