import type { BusinessCalendar } from '../../../src/content/model';
import { isAppError } from '../../../src/domain/errors';
import {
  addBusinessMinutes,
  isOpen,
  localToInstant,
  MAX_SCAN_DAYS,
  nextOpening,
} from '../../../src/handoff/business-hours';
import { majuJayaCalendar } from '../../support/calendar';

/** A fixed instant from an ISO string with its offset (readable epoch milliseconds). */
const at = (iso: string) => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad date ${iso}`);
  return ms;
};
const iso = (ms: number) => new Date(ms).toISOString();

const weekdays = (open: string, close: string) => [{ open, close }];

/** MAJU JAYA: Mon–Fri 08–17, Sat 08–13, Sunday closed, Christmas 2026 (a Friday) a holiday. */
const jakarta = majuJayaCalendar();

// 2026-12-04 is a Friday; 12-05 Saturday; 12-06 Sunday; 12-07 Monday.
describe('isOpen (Asia/Jakarta)', () => {
  test.each([
    ['2026-12-07T10:00+07:00', true], // Monday morning
    ['2026-12-07T07:59+07:00', false], // before opening
    ['2026-12-07T08:00+07:00', true], // opening minute
    ['2026-12-07T16:59+07:00', true],
    ['2026-12-07T17:00+07:00', false], // closing is exclusive
    ['2026-12-07T02:00:00Z', true], // 09:00 WIB given in UTC
    ['2026-12-07T00:30:00Z', false], // 07:30 WIB, although 00:30 UTC
    ['2026-12-05T12:59+07:00', true], // Saturday half day
    ['2026-12-05T13:00+07:00', false],
    ['2026-12-06T10:00+07:00', false], // Sunday closed
    ['2026-12-25T10:00+07:00', false], // holiday (a Friday)
  ])('%s → %s', (when, open) => {
    expect(isOpen(at(when), jakarta)).toBe(open);
  });
});

describe('nextOpening (Asia/Jakarta)', () => {
  test.each([
    ['2026-12-07T10:00+07:00', '2026-12-07T10:00+07:00'], // already open
    ['2026-12-07T06:00+07:00', '2026-12-07T08:00+07:00'], // early morning
    ['2026-12-07T18:00+07:00', '2026-12-08T08:00+07:00'], // after closing → next day
    ['2026-12-05T14:00+07:00', '2026-12-07T08:00+07:00'], // Saturday afternoon → Monday
    ['2026-12-06T10:00+07:00', '2026-12-07T08:00+07:00'], // Sunday → Monday
    ['2026-12-24T17:30+07:00', '2026-12-26T08:00+07:00'], // Thursday evening, Friday holiday → Saturday
  ])('%s → %s', (from, expected) => {
    expect(iso(nextOpening(at(from), jakarta))).toBe(iso(at(expected)));
  });
});

describe('addBusinessMinutes (Asia/Jakarta)', () => {
  test.each([
    ['2026-12-07T10:00+07:00', 120, '2026-12-07T12:00+07:00'], // inside hours
    ['2026-12-07T16:00+07:00', 120, '2026-12-08T09:00+07:00'], // crosses closing → next morning
    ['2026-12-07T19:00+07:00', 30, '2026-12-08T08:30+07:00'], // starts after closing
    ['2026-12-04T16:30+07:00', 240, '2026-12-05T11:30+07:00'], // Friday → Saturday half day
    ['2026-12-05T12:00+07:00', 120, '2026-12-07T09:00+07:00'], // Saturday → Monday (Sunday closed)
    ['2026-12-06T10:00+07:00', 30, '2026-12-07T08:30+07:00'], // Sunday start
    ['2026-12-24T16:00+07:00', 120, '2026-12-26T09:00+07:00'], // holiday skipped
    ['2026-12-07T08:00+07:00', 0, '2026-12-07T08:00+07:00'],
    ['2026-12-06T08:00+07:00', 0, '2026-12-07T08:00+07:00'], // zero minutes while closed = next opening
    // Several days: Mon–Fri 5 × 540 + Saturday 300 = 3000 minutes, ending at Saturday's close.
    ['2026-12-07T08:00+07:00', 3000, '2026-12-12T13:00+07:00'],
    ['2026-12-07T08:00+07:00', 3001, '2026-12-14T08:01+07:00'],
  ])('%s + %d min → %s', (from, minutes, expected) => {
    expect(iso(addBusinessMinutes(at(from), minutes, jakarta))).toBe(iso(at(expected)));
  });

  test('several intervals per day (lunch break)', () => {
    const lunch: BusinessCalendar = {
      ...jakarta,
      hours: {
        ...jakarta.hours,
        mon: [
          { open: '13:00', close: '17:00' },
          { open: '08:00', close: '12:00' },
        ],
      },
    };
    expect(iso(addBusinessMinutes(at('2026-12-07T11:30+07:00'), 60, lunch))).toBe(iso(at('2026-12-07T13:30+07:00')));
    expect(isOpen(at('2026-12-07T12:30+07:00'), lunch)).toBe(false);
  });

  test('24:00 closes at midnight', () => {
    const late: BusinessCalendar = {
      ...jakarta,
      hours: { ...jakarta.hours, mon: [{ open: '20:00', close: '24:00' }] },
    };
    expect(isOpen(at('2026-12-07T23:59+07:00'), late)).toBe(true);
    expect(iso(addBusinessMinutes(at('2026-12-07T23:00+07:00'), 60, late))).toBe(iso(at('2026-12-08T00:00+07:00')));
    // The remaining 30 minutes wait for Tuesday's 08:00 opening.
    expect(iso(addBusinessMinutes(at('2026-12-07T23:00+07:00'), 90, late))).toBe(iso(at('2026-12-08T08:30+07:00')));
  });

  test('a calendar with no opening hours throws instead of looping', () => {
    const closed: BusinessCalendar = {
      ...jakarta,
      hours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    };
    let caught: unknown;
    try {
      addBusinessMinutes(at('2026-12-07T10:00+07:00'), 10, closed);
    } catch (err) {
      caught = err;
    }
    expect(isAppError(caught) && caught.code).toBe('CONTENT_INVALID');
    expect(() => nextOpening(0, closed)).toThrow();
  });

  test('holidays covering every open day for over a year throw after the scan cap', () => {
    const holidays: string[] = [];
    for (let d = Date.UTC(2026, 11, 7); d < Date.UTC(2028, 0, 31); d += 7 * 86_400_000) {
      holidays.push(new Date(d).toISOString().slice(0, 10)); // every Monday
    }
    const mondaysOnly: BusinessCalendar = {
      timezone: 'Asia/Jakarta',
      hours: { mon: weekdays('08:00', '17:00'), tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
      holidays,
    };
    expect(() => addBusinessMinutes(at('2026-12-07T10:00+07:00'), 10, mondaysOnly)).toThrow(String(MAX_SCAN_DAYS));
  });

  test('rejects negative minutes', () => {
    expect(() => addBusinessMinutes(0, -1, jakarta)).toThrow(RangeError);
  });
});

describe('a DST zone (Europe/Berlin: CET +1, CEST +2 from 2026-03-29 and back on 2026-10-25)', () => {
  const berlin: BusinessCalendar = {
    timezone: 'Europe/Berlin',
    hours: {
      mon: weekdays('09:00', '17:00'),
      tue: weekdays('09:00', '17:00'),
      wed: weekdays('09:00', '17:00'),
      thu: weekdays('09:00', '17:00'),
      fri: weekdays('09:00', '17:00'),
      sat: [],
      sun: [],
    },
    holidays: [],
  };

  test.each([
    // Friday 16:00 CET + 2 h → Monday 10:00 CEST (08:00Z, not 09:00Z)
    ['2026-03-27T16:00+01:00', 120, '2026-03-30T08:00:00.000Z'],
    // Friday 16:00 CEST + 2 h → Monday 10:00 CET (09:00Z)
    ['2026-10-23T16:00+02:00', 120, '2026-10-26T09:00:00.000Z'],
  ])('%s + %d min → %s', (from, minutes, expected) => {
    expect(iso(addBusinessMinutes(at(from), minutes, berlin))).toBe(expected);
  });

  test.each([
    ['2026-03-30T07:30:00Z', true], // 09:30 CEST
    ['2026-03-30T06:30:00Z', false], // 08:30 CEST
    ['2026-03-27T08:30:00Z', true], // 09:30 CET
    ['2026-03-27T07:30:00Z', false], // 08:30 CET
  ])('isOpen %s → %s', (when, open) => {
    expect(isOpen(at(when), berlin)).toBe(open);
  });

  test('always open: business minutes equal elapsed minutes across both changes', () => {
    const day = [{ open: '00:00', close: '24:00' }];
    const always: BusinessCalendar = {
      timezone: 'Europe/Berlin',
      hours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
      holidays: [],
    };
    for (const start of ['2026-03-28T12:00+01:00', '2026-10-24T12:00+02:00']) {
      expect(addBusinessMinutes(at(start), 24 * 60, always) - at(start)).toBe(24 * 3_600_000);
    }
  });

  test('the short spring-forward night: 01:00–04:00 local is two real hours', () => {
    const night: BusinessCalendar = {
      timezone: 'Europe/Berlin',
      hours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [{ open: '01:00', close: '04:00' }] },
      holidays: [],
    };
    const start = at('2026-03-29T00:00+01:00');
    expect(iso(addBusinessMinutes(start, 120, night))).toBe('2026-03-29T02:00:00.000Z'); // 04:00 CEST
    expect(iso(addBusinessMinutes(start, 121, night))).toBe('2026-04-04T23:01:00.000Z'); // next Sunday 01:01 CEST
  });

  test('localToInstant maps wall times with the offset of that moment', () => {
    expect(iso(localToInstant({ year: 2026, month: 3, day: 29 }, 60, 'Europe/Berlin'))).toBe(
      '2026-03-29T00:00:00.000Z',
    );
    expect(iso(localToInstant({ year: 2026, month: 3, day: 29 }, 180, 'Europe/Berlin'))).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(iso(localToInstant({ year: 2026, month: 7, day: 1 }, 9 * 60, 'Europe/Berlin'))).toBe(
      '2026-07-01T07:00:00.000Z',
    );
    expect(iso(localToInstant({ year: 2026, month: 12, day: 7 }, 8 * 60, 'Asia/Jakarta'))).toBe(
      '2026-12-07T01:00:00.000Z',
    );
  });
});
