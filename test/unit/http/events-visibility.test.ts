import type { LiveEvent } from '../../../src/domain/live-event';
import { visibleTo } from '../../../src/http/routes/events';

const alert: LiveEvent = { type: 'supervisor_alert', at: 1, alert: 'sla_at_risk', message: { id: 'x', en: 'x' } };
const changed = { type: 'new_handoff', at: 1, ticket: {} } as LiveEvent;

test('supervisor alerts reach only roles with the supervisor view; ticket events every ticket reader', () => {
  expect(['admin', 'supervisor', 'agent', 'content_editor'].map((r) => visibleTo(alert, r as never))).toEqual([
    true,
    true,
    false,
    false,
  ]);
  expect(['admin', 'supervisor', 'agent', 'content_editor'].map((r) => visibleTo(changed, r as never))).toEqual([
    true,
    true,
    true,
    false,
  ]);
});
