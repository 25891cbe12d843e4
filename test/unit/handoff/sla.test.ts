import type { BusinessCalendar, SlaTarget } from '../../../src/content/model';
import { formatLocalTime, formatSla, slaAtRiskFrom, slaDeadline, zoneAbbreviation } from '../../../src/handoff/sla';
import { majuJayaCalendar } from '../../support/calendar';

const at = (iso: string) => Date.parse(iso);
const jakarta = majuJayaCalendar();
const zone = (timezone: string): BusinessCalendar => ({ ...jakarta, timezone });

describe('slaDeadline', () => {
  const friday1630 = at('2026-12-04T16:30+07:00');

  test('business-hours targets count open minutes only', () => {
    const billing: SlaTarget = { minMinutes: 120, maxMinutes: 240, businessHours: true };
    expect(slaDeadline(friday1630, billing, jakarta)).toBe(at('2026-12-05T11:30+07:00'));
  });

  test('other targets are wall-clock minutes, even when closed', () => {
    const emergency: SlaTarget = { minMinutes: 10, maxMinutes: 30, businessHours: false };
    expect(slaDeadline(friday1630, emergency, jakarta)).toBe(friday1630 + 30 * 60_000);
    const sunday = at('2026-12-06T03:00+07:00');
    expect(slaDeadline(sunday, emergency, jakarta)).toBe(sunday + 30 * 60_000);
  });
});

describe('formatSla', () => {
  test.each([
    [120, 240, true, '2–4 jam kerja', '2–4 working hours'],
    [10, 30, false, '10–30 menit', '10–30 minutes'],
    [60, 360, true, '1–6 jam kerja', '1–6 working hours'],
    [15, 30, false, '15–30 menit', '15–30 minutes'],
    [0, 5, false, '5 menit', '5 minutes'],
    [5, 15, true, '5–15 menit kerja', '5–15 working minutes'],
    [0, 60, false, '1 jam', '1 hour'],
    [0, 1, false, '1 menit', '1 minute'],
    [60, 90, true, '1–1,5 jam kerja', '1–1.5 working hours'],
    [30, 90, false, '0,5–1,5 jam', '0.5–1.5 hours'],
    [240, 240, true, '4 jam kerja', '4 working hours'],
    [0, 1440, false, '24 jam', '24 hours'],
  ])('%d–%d min, business %s → %j / %j', (minMinutes, maxMinutes, businessHours, id, en) => {
    const sla = { minMinutes, maxMinutes, businessHours };
    expect(formatSla(sla, 'id')).toBe(id);
    expect(formatSla(sla, 'en')).toBe(en);
  });
});

describe('formatLocalTime', () => {
  const mondayMorning = at('2026-12-07T10:00+07:00');

  test.each([
    ['2026-12-07T15:30+07:00', mondayMorning, 'hari ini pukul 15.30 WIB', 'today at 15:30 WIB'],
    ['2026-12-08T08:00+07:00', mondayMorning, 'besok pukul 08.00 WIB', 'tomorrow at 08:00 WIB'],
    ['2026-12-09T08:00+07:00', mondayMorning, 'Rabu, 9 Desember pukul 08.00 WIB', 'Wednesday 9 December at 08:00 WIB'],
    ['2026-12-14T08:05+07:00', mondayMorning, 'Senin, 14 Desember pukul 08.05 WIB', 'Monday 14 December at 08:05 WIB'],
    // The local day decides, not the UTC day: both instants are 7 December in UTC.
    ['2026-12-08T00:10+07:00', at('2026-12-07T23:30+07:00'), 'besok pukul 00.10 WIB', 'tomorrow at 00:10 WIB'],
    // Next year: the year is spelled out.
    [
      '2027-01-04T08:00+07:00',
      at('2026-12-30T10:00+07:00'),
      'Senin, 4 Januari 2027 pukul 08.00 WIB',
      'Monday 4 January 2027 at 08:00 WIB',
    ],
  ])('%s (now %d) → %j / %j', (when, now, id, en) => {
    expect(formatLocalTime(at(when), jakarta, 'id', now)).toBe(id);
    expect(formatLocalTime(at(when), jakarta, 'en', now)).toBe(en);
  });

  test.each([
    ['Asia/Jakarta', '2026-12-07T08:00:00Z', 'hari ini pukul 15.00 WIB'],
    ['Asia/Pontianak', '2026-12-07T08:00:00Z', 'hari ini pukul 15.00 WIB'],
    ['Asia/Makassar', '2026-12-07T08:00:00Z', 'hari ini pukul 16.00 WITA'],
    ['Asia/Jayapura', '2026-12-07T08:00:00Z', 'hari ini pukul 17.00 WIT'],
  ])('Indonesian zone %s', (tz, when, expected) => {
    expect(formatLocalTime(at(when), zone(tz), 'id', at('2026-12-07T01:00:00Z'))).toBe(expected);
  });

  test('other zones use Intl short names, following DST', () => {
    expect(zoneAbbreviation(at('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe('CET');
    expect(zoneAbbreviation(at('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe('CEST');
    expect(zoneAbbreviation(at('2026-01-15T12:00:00Z'), 'America/New_York')).toBe('EST');
    expect(zoneAbbreviation(at('2026-01-15T12:00:00Z'), 'UTC')).toBe('UTC');
    expect(formatLocalTime(at('2026-07-15T12:00:00Z'), zone('Europe/Berlin'), 'en', at('2026-07-15T08:00:00Z'))).toBe(
      'today at 14:00 CEST',
    );
  });
});

describe('slaAtRiskFrom', () => {
  const MIN = 60_000;
  test('the last 20% of a short window', () => {
    // A 10-minute emergency target warns 2 minutes before the deadline.
    expect(slaAtRiskFrom({ createdAt: 0, slaDeadline: 10 * MIN })).toBe(8 * MIN);
  });

  test('never more than 15 minutes before the deadline of a long one', () => {
    expect(slaAtRiskFrom({ createdAt: 0, slaDeadline: 4 * 60 * MIN })).toBe(4 * 60 * MIN - 15 * MIN);
  });

  test('a deadline at or before creation is at risk from the deadline itself', () => {
    expect(slaAtRiskFrom({ createdAt: 5 * MIN, slaDeadline: 5 * MIN })).toBe(5 * MIN);
    expect(slaAtRiskFrom({ createdAt: 9 * MIN, slaDeadline: 5 * MIN })).toBe(5 * MIN);
  });
});
