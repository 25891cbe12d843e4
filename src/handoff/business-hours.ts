import type { BusinessCalendar, WeekdayKey } from '../content/model';
import { AppError } from '../domain/errors';

/**
 * Business-hours maths in the calendar's IANA timezone, with `Intl.DateTimeFormat` only (no date
 * library). Opening times are wall-clock times of a local day; each is turned into an instant
 * with the zone's offset at that moment, so DST changes are handled (a wall time that does not
 * exist on a spring-forward day maps one gap later, e.g. 02:30 → 03:30 in Europe/Berlin).
 */

/** How many consecutive closed days we scan before deciding the calendar never opens. */
export const MAX_SCAN_DAYS = 366;

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEKDAYS: WeekdayKey[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** A local calendar date (month 1–12). */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** The wall-clock reading of an instant in a zone. */
export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock date and time of `ms` in `timeZone`. */
export function localParts(ms: number, timeZone: string): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const year = parts.year ?? NaN;
  const month = parts.month ?? NaN;
  const day = parts.day ?? NaN;
  return {
    year,
    month,
    day,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

/** The zone's offset from UTC at instant `ms`, in milliseconds (Jakarta: +7 h). */
export function zoneOffset(ms: number, timeZone: string): number {
  const seconds = Math.floor(ms / 1000) * 1000;
  const p = localParts(seconds, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - seconds;
}

/**
 * The instant a wall-clock time of a local date happens in `timeZone`. `minutes` counts from local
 * midnight and may be 1440 ("24:00", the next midnight).
 */
export function localToInstant(date: LocalDate, minutes: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE;
  // Two rounds: the first guess uses the offset at the wall time read as UTC, the second the
  // offset at the guessed instant; they differ only within hours of an offset change.
  let t = wall - zoneOffset(wall, timeZone);
  const second = wall - zoneOffset(t, timeZone);
  if (second !== t) t = second;
  return t;
}

/** The calendar date after `date`. */
export function nextDate(date: LocalDate): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** `YYYY-MM-DD`. */
export function isoDate(date: LocalDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

interface ParsedCalendar {
  /** Opening intervals per weekday (0 = Sunday), minutes from local midnight, sorted. */
  week: { open: number; close: number }[][];
  holidays: Set<string>;
  everOpen: boolean;
}

const parsedCalendars = new WeakMap<BusinessCalendar, ParsedCalendar>();

function parse(calendar: BusinessCalendar): ParsedCalendar {
  let parsed = parsedCalendars.get(calendar);
  if (parsed) return parsed;
  const week = WEEKDAYS.map((key) =>
    (calendar.hours[key] ?? [])
      .map((h) => ({ open: clockMinutes(h.open), close: clockMinutes(h.close) }))
      .filter((h) => h.close > h.open)
      .sort((a, b) => a.open - b.open),
  );
  parsed = { week, holidays: new Set(calendar.holidays), everOpen: week.some((d) => d.length > 0) };
  parsedCalendars.set(calendar, parsed);
  return parsed;
}

function clockMinutes(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  const h = Number(m?.[1]);
  const min = Number(m?.[2]);
  if (!m || h > 24 || min > 59 || (h === 24 && min !== 0)) {
    throw new AppError('CONTENT_INVALID', `Business hours time "${hhmm}" is not HH:MM`);
  }
  return h * 60 + min;
}

/** The open intervals of one local date as instants `[start, end)`; empty on holidays. */
function openIntervals(date: LocalDate, calendar: BusinessCalendar, parsed: ParsedCalendar): [number, number][] {
  if (parsed.holidays.has(isoDate(date))) return [];
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return (parsed.week[weekday] ?? []).map((h) => [
    localToInstant(date, h.open, calendar.timezone),
    localToInstant(date, h.close, calendar.timezone),
  ]);
}

/**
 * Walks the open intervals from `startMs` on, local day by local day, calling `visit` with each
 * open stretch `[from, to)` at or after `startMs` until it returns a result. Throws when the
 * calendar has no opening hours, or none within `MAX_SCAN_DAYS` consecutive days.
 */
function walkOpen<T>(
  startMs: number,
  calendar: BusinessCalendar,
  visit: (from: number, to: number) => T | undefined,
): T {
  const parsed = parse(calendar);
  if (!parsed.everOpen) throw new AppError('CONTENT_INVALID', 'The business calendar has no opening hours');
  let date: LocalDate = localParts(startMs, calendar.timezone);
  let closedDays = 0;
  for (;;) {
    let sawOpen = false;
    for (const [open, close] of openIntervals(date, calendar, parsed)) {
      const from = Math.max(open, startMs);
      if (close <= from) continue;
      sawOpen = true;
      const result = visit(from, close);
      if (result !== undefined) return result;
    }
    closedDays = sawOpen ? 0 : closedDays + 1;
    if (closedDays > MAX_SCAN_DAYS) {
      throw new AppError('CONTENT_INVALID', `The business calendar is closed for more than ${MAX_SCAN_DAYS} days`);
    }
    date = nextDate(date);
  }
}

/** Whether the business is open at instant `ms` (holidays and closed weekdays are not). */
export function isOpen(ms: number, calendar: BusinessCalendar): boolean {
  const parsed = parse(calendar);
  const date = localParts(ms, calendar.timezone);
  return openIntervals(date, calendar, parsed).some(([open, close]) => open <= ms && ms < close);
}

/** `ms` itself when open, otherwise the instant the business next opens. */
export function nextOpening(ms: number, calendar: BusinessCalendar): number {
  return walkOpen(ms, calendar, (from) => from);
}

/**
 * The instant `minutes` open minutes after `startMs`: only weekday opening hours count, holidays
 * (local dates) are skipped, and a start outside hours begins counting at the next opening.
 * `minutes = 0` gives `nextOpening(startMs)`.
 */
export function addBusinessMinutes(startMs: number, minutes: number, calendar: BusinessCalendar): number {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError('minutes must be a finite number ≥ 0');
  let remaining = minutes * MINUTE;
  return walkOpen(startMs, calendar, (from, to) => {
    if (remaining <= to - from) return from + remaining;
    remaining -= to - from;
    return undefined;
  });
}
