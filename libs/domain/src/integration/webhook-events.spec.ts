import { describe, expect, it } from 'vitest';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_SOURCE_EVENTS, webhookEventsOf } from './webhook-events';

describe('webhookEventsOf', () => {
  it('names each assignment event as integrators subscribe to it', () => {
    expect(webhookEventsOf({ type: 'opened' }, true)).toEqual(['assignment.opened']);
    expect(webhookEventsOf({ type: 'submitted' }, true)).toEqual(['draft.submitted']);
    expect(webhookEventsOf({ type: 'submitted' }, false)).toEqual(['draft.submitted', 'assignment.done']);
    expect(webhookEventsOf({ type: 'approval-closed', outcome: 'approve' }, true)).toEqual(['assignment.done']);
    expect(webhookEventsOf({ type: 'approval-closed', outcome: 'request-changes' }, true)).toEqual([]);
    expect(webhookEventsOf({ type: 'timer-fired', entry: { type: 'escalation' } }, true)).toEqual(['escalation']);
    expect(webhookEventsOf({ type: 'timer-fired', entry: { type: 'reminder' } }, true)).toEqual(['reminder']);
    expect(webhookEventsOf({ type: 'extension-decided' }, true)).toEqual(['extension.decided']);
    expect(webhookEventsOf({ type: 'cancelled' }, true)).toEqual(['assignment.cancelled']);
    expect(webhookEventsOf({ type: 'side-effect-failed' }, true)).toEqual([]);
  });

  it('reads only source events that become webhook events, and every type but plan.launched and decision (from plans and approvals) comes from one', () => {
    const produced = new Set(
      WEBHOOK_SOURCE_EVENTS.flatMap((type) => [true, false].flatMap((r) => ['approve', 'reject'].flatMap((outcome) => ['reminder', 'escalation'].flatMap((t) => webhookEventsOf({ type: type as never, outcome, entry: { type: t } }, r))))),
    );
    expect([...produced].sort()).toEqual(WEBHOOK_EVENT_TYPES.filter((t) => t !== 'plan.launched' && t !== 'decision').sort());
  });
});
