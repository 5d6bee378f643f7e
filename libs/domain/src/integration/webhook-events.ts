import type { AssignmentEvent } from '../assignment/assignment-events';

/**
 * Outbound webhooks (issue 14): the events another system can subscribe to, and which
 * assignment events they are. One definition, used by the API (validation, documentation)
 * and the worker (what it delivers).
 */
export const WEBHOOK_EVENT_TYPES = [
  'plan.launched',
  'assignment.opened',
  'draft.submitted',
  'decision',
  'extension.decided',
  'reminder',
  'escalation',
  'assignment.done',
  'assignment.cancelled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * The webhook events an assignment event is (none, one, or two: a submission that needs no
 * approval also finishes its assignment). `requiresApproval`: whether a submission waits for an
 * approval chain. A `decision` is each approval step's decision, read from the approval (see
 * the worker), so the approval that closes an assignment is only `assignment.done` here.
 */
export function webhookEventsOf(event: Pick<AssignmentEvent, 'type'> & Partial<{ outcome: string; entry: { type: string } }>, requiresApproval: boolean): WebhookEventType[] {
  switch (event.type) {
    case 'opened':
      return ['assignment.opened'];
    case 'submitted':
      return requiresApproval ? ['draft.submitted'] : ['draft.submitted', 'assignment.done'];
    case 'approval-closed':
      return event.outcome === 'approve' ? ['assignment.done'] : [];
    case 'extension-decided':
      return ['extension.decided'];
    case 'timer-fired':
      return event.entry?.type === 'escalation' ? ['escalation'] : ['reminder'];
    case 'cancelled':
      return ['assignment.cancelled'];
    default:
      return [];
  }
}

/** The assignment event types that become webhook events (for the worker's query). */
export const WEBHOOK_SOURCE_EVENTS = ['opened', 'submitted', 'approval-closed', 'extension-decided', 'timer-fired', 'cancelled'];

/** Headers of a delivery: the receiver checks the signature and the timestamp (README, "Webhooks"). */
export const WEBHOOK_HEADERS = {
  event: 'Dieu-Hanh-Event',
  delivery: 'Dieu-Hanh-Delivery',
  timestamp: 'Dieu-Hanh-Timestamp',
  signature: 'Dieu-Hanh-Signature',
} as const;

/** A receiver refuses a delivery whose timestamp is further than this from its clock (replays). */
export const WEBHOOK_REPLAY_WINDOW_SECONDS = 300;

/** What is signed: `<unix seconds>.<the exact body>`; the signature header is `v1=<hex HMAC-SHA256>`. */
export const webhookSignedContent = (timestamp: number, body: string) => `${timestamp}.${body}`;
