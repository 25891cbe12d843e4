import type { BusinessCalendar } from '../../src/content/model';

/**
 * MAJU JAYA's opening hours in Jakarta, as the sample routing has them: Monday–Friday 08–17,
 * Saturday 08–13, Sunday closed; `holidays` (default Christmas 2026, a Friday) closed all day.
 */
export function majuJayaCalendar(holidays: string[] = ['2026-12-25']): BusinessCalendar {
  const weekday = [{ open: '08:00', close: '17:00' }];
  return {
    timezone: 'Asia/Jakarta',
    hours: {
      mon: weekday,
      tue: weekday,
      wed: weekday,
      thu: weekday,
      fri: weekday,
      sat: [{ open: '08:00', close: '13:00' }],
      sun: [],
    },
    holidays,
  };
}
