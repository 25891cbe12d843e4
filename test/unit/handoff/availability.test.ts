import { replyExpectation } from '../../../src/handoff/availability';
import { majuJayaCalendar } from '../../support/calendar';

const calendar = majuJayaCalendar([]);
const office = { minMinutes: 120, maxMinutes: 240, businessHours: true };
const allDay = { minMinutes: 10, maxMinutes: 30, businessHours: false };
/** Monday 6 January 2025, 10:00 WIB. */
const mondayMorning = Date.parse('2025-01-06T10:00:00+07:00');
/** Saturday 11 January 2025, 20:00 WIB (closed until Monday 08:00). */
const saturdayEvening = Date.parse('2025-01-11T20:00:00+07:00');
const deadline = mondayMorning + 4 * 3_600_000;

describe('replyExpectation', () => {
  it('is normal when someone of the team is online in opening hours', () => {
    expect(replyExpectation({ now: mondayMorning, sla: office, calendar, agentsOnline: 1, deadline })).toEqual({
      kind: 'normal',
    });
  });

  it('promises only the deadline when nobody of the team is online', () => {
    expect(replyExpectation({ now: mondayMorning, sla: office, calendar, agentsOnline: 0, deadline })).toEqual({
      kind: 'no_agent_online',
      expectedReplyAt: deadline,
    });
  });

  it('after hours, points at the next opening, whoever is logged in', () => {
    for (const agentsOnline of [0, 3]) {
      expect(replyExpectation({ now: saturdayEvening, sla: office, calendar, agentsOnline, deadline })).toEqual({
        kind: 'after_hours',
        expectedReplyAt: Date.parse('2025-01-13T08:00:00+07:00'),
      });
    }
  });

  it('round-the-clock categories ignore the opening hours and look only at presence', () => {
    expect(replyExpectation({ now: saturdayEvening, sla: allDay, calendar, agentsOnline: 1, deadline })).toEqual({
      kind: 'normal',
    });
    expect(replyExpectation({ now: saturdayEvening, sla: allDay, calendar, agentsOnline: 0, deadline })).toMatchObject({
      kind: 'no_agent_online',
    });
  });
});
