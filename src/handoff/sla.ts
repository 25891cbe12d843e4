import type { BusinessCalendar, SlaTarget } from '../content/model';
import type { Locale } from '../domain/locale';
import { addBusinessMinutes, localParts } from './business-hours';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The first-response deadline of a ticket created at `nowMs`: `sla.maxMinutes` later, counting only
 * open minutes of the calendar when `sla.businessHours` (a Friday 16:30 ticket with a 4-hour target
 * is due Saturday 11:30 in the sample calendar), wall-clock minutes otherwise.
 */
export function slaDeadline(nowMs: number, sla: SlaTarget, calendar: BusinessCalendar): number {
  return sla.businessHours ? addBusinessMinutes(nowMs, sla.maxMinutes, calendar) : nowMs + sla.maxMinutes * MINUTE;
}

/** The warning comes at most this long before the deadline… */
export const SLA_AT_RISK_MAX_LEAD_MS = 15 * MINUTE;
/** …and at most this share of the ticket's whole first-response window before it. */
export const SLA_AT_RISK_SHARE = 0.2;

/**
 * When a ticket's first response is "at risk": the last 20% of its window, but never more than
 * 15 minutes before the deadline (a 10-minute emergency target warns 2 minutes before; a 4-hour
 * billing target 15 minutes before). From then on the customer is told honestly when to expect a
 * reply and supervisors are alerted, once.
 */
export function slaAtRiskFrom(ticket: { createdAt: number; slaDeadline: number }): number {
  const window = Math.max(0, ticket.slaDeadline - ticket.createdAt);
  return ticket.slaDeadline - Math.min(SLA_AT_RISK_MAX_LEAD_MS, window * SLA_AT_RISK_SHARE);
}

/**
 * The target as customers read it, for `{{sla}}`: "2–4 jam kerja" / "2–4 working hours",
 * "10–30 menit" / "10–30 minutes", "5 menit" when `minMinutes` is 0 (the template says "dalam …").
 * Below one hour the unit is minutes, otherwise hours with up to two decimals ("1,5 jam").
 * "kerja" / "working" only for business-hours targets.
 */
export function formatSla(sla: SlaTarget, locale: Locale): string {
  const inHours = sla.maxMinutes >= 60;
  const toUnit = (m: number) => (inHours ? m / 60 : m);
  const max = toUnit(sla.maxMinutes);
  const min = toUnit(sla.minMinutes);
  const amount =
    sla.minMinutes > 0 && sla.minMinutes < sla.maxMinutes
      ? `${num(min, locale)}–${num(max, locale)}`
      : num(max, locale);
  const single = !(sla.minMinutes > 0 && sla.minMinutes < sla.maxMinutes) && max === 1;
  if (locale === 'id') {
    return `${amount} ${inHours ? 'jam' : 'menit'}${sla.businessHours ? ' kerja' : ''}`;
  }
  const unit = (inHours ? 'hour' : 'minute') + (single ? '' : 's');
  return `${amount} ${sla.businessHours ? 'working ' : ''}${unit}`;
}

function num(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'id' ? 'id-ID' : 'en-GB', {
    maximumFractionDigits: 2,
    useGrouping: false,
  }).format(n);
}

const WEEKDAY_NAMES: Record<Locale, string[]> = {
  id: ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};
const MONTH_NAMES: Record<Locale, string[]> = {
  id: [
    'Januari',
    'Februari',
    'Maret',
    'April',
    'Mei',
    'Juni',
    'Juli',
    'Agustus',
    'September',
    'Oktober',
    'November',
    'Desember',
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
};

/** Indonesian zone names customers know; other zones use the short name `Intl` gives. */
const INDONESIAN_ZONES: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Ujung_Pandang': 'WITA',
  'Asia/Jayapura': 'WIT',
};

/**
 * An instant as local time in the calendar's zone, relative to `nowMs` for `{{reply_by}}`:
 * "hari ini pukul 15.30 WIB" / "today at 15:30 WIB", "besok pukul 08.00 WIB" /
 * "tomorrow at 08:00 WIB", otherwise "Senin, 8 Desember pukul 08.00 WIB" /
 * "Monday 8 December at 08:00 WIB" (with the year when it is not the current one).
 */
export function formatLocalTime(ms: number, calendar: BusinessCalendar, locale: Locale, nowMs: number): string {
  const zone = calendar.timezone;
  const at = localParts(ms, zone);
  const now = localParts(nowMs, zone);
  const days = (Date.UTC(at.year, at.month - 1, at.day) - Date.UTC(now.year, now.month - 1, now.day)) / DAY;
  const hh = String(at.hour).padStart(2, '0');
  const mm = String(at.minute).padStart(2, '0');
  const abbr = zoneAbbreviation(ms, zone);
  const year = at.year !== now.year ? ` ${at.year}` : '';
  if (locale === 'id') {
    const time = `pukul ${hh}.${mm} ${abbr}`;
    if (days === 0) return `hari ini ${time}`;
    if (days === 1) return `besok ${time}`;
    return `${WEEKDAY_NAMES.id[at.weekday]}, ${at.day} ${MONTH_NAMES.id[at.month - 1]}${year} ${time}`;
  }
  const time = `at ${hh}:${mm} ${abbr}`;
  if (days === 0) return `today ${time}`;
  if (days === 1) return `tomorrow ${time}`;
  return `${WEEKDAY_NAMES.en[at.weekday]} ${at.day} ${MONTH_NAMES.en[at.month - 1]}${year} ${time}`;
}

/**
 * The zone's short name at `ms`: WIB / WITA / WIT for Indonesian zones, otherwise `Intl`'s
 * abbreviation ("CET", "CEST", "EST"), falling back to "GMT+x" when the locale data has none.
 */
export function zoneAbbreviation(ms: number, timeZone: string): string {
  const known = INDONESIAN_ZONES[timeZone];
  if (known) return known;
  let fallback = '';
  // en-US knows American abbreviations, en-GB European ones; prefer whichever is not "GMT+x".
  for (const loc of ['en-US', 'en-GB']) {
    const name = new Intl.DateTimeFormat(loc, { timeZone, timeZoneName: 'short' })
      .formatToParts(new Date(ms))
      .find((p) => p.type === 'timeZoneName')?.value;
    if (!name) continue;
    if (!/^(GMT|UTC)[+-−]/.test(name)) return name;
    fallback ||= name;
  }
  return fallback || timeZone;
}
