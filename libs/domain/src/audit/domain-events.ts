import type { Actor, AssignmentEvent } from '../assignment/assignment-events';
import type { ApprovalEvent, ApprovalInput, ApprovalState } from '../assignment/approval-state';
import type { AssignmentSpec, NoticeAudience, ScheduleEntry } from '../assignment/assignment-spec';
import { openingEvent, type AssignmentState } from '../assignment/assignment-state';
import {
  attributesOf,
  decodePayload,
  decodePayloads,
  eventIdOf,
  startedInfo,
  type HistoryEventJson,
  type HistoryJson,
  type JsonPayloads,
} from './history-json';

/** Workflow type names, as registered by libs/workflows (WORKFLOW_TYPES); data here, not an import. */
export const AUDITED_WORKFLOW_TYPES = {
  assignmentWorkflow: 'assignment',
  approvalWorkflow: 'approval',
  planWorkflow: 'plan',
  monthlyReportWorkflow: 'monthly-report',
} as const;
export type AuditedKind = (typeof AUDITED_WORKFLOW_TYPES)[keyof typeof AUDITED_WORKFLOW_TYPES];

export const kindOfWorkflowType = (type: string): AuditedKind | undefined =>
  (AUDITED_WORKFLOW_TYPES as Record<string, AuditedKind>)[type];

/** What a `sendNotice` activity was asked (the shape of NoticeRequest in libs/workflows). */
export interface NoticeInput {
  key: string;
  assignmentId: string;
  planId: string;
  leadUnit: string;
  noticeUnits: { standingOffice: string; standingCommittee: string };
  audience: NoticeAudience[];
  toUnits?: string[];
  kind: string;
  level: number;
  subject: string;
  body: string;
}

/** A report period as `nextReportPeriod` returned it. */
export interface ReportPeriodRecord {
  period: string;
  deadline: AssignmentSpec['deadline'];
  schedule: ScheduleEntry[];
}

/** How an activity ended, as far as this history goes. */
export type ActivityOutcome = 'completed' | 'failed' | 'timed-out' | 'cancelled' | 'pending';

/**
 * A fact of the domain found in a history, with the id of the history event where it
 * became durable (the event that first carries it).
 */
export type AuditRecord =
  | { type: 'assignment-event'; eventId: number; seq: number; event: AssignmentEvent }
  | { type: 'approval-event'; eventId: number; event: ApprovalEvent; stepIndex: number }
  | { type: 'notice'; eventId: number; notice: NoticeInput; outcome: ActivityOutcome; endedEventId?: number; failure?: string; attempts?: number }
  | { type: 'child-started'; eventId: number; workflowId: string; workflowType: string; runId?: string; input?: unknown }
  | { type: 'signal'; eventId: number; name: string; input: unknown }
  | { type: 'report-period'; eventId: number; period: ReportPeriodRecord }
  | { type: 'closed'; eventId: number; status: 'completed' | 'failed' | 'cancelled' | 'terminated' | 'timed-out' | 'continued-as-new'; result?: unknown; newRunId?: string; failure?: string };

export interface ExtractedHistory {
  kind: AuditedKind | undefined;
  workflowType: string;
  /** The workflow's input (first argument), e.g. { spec } or an ApprovalInput. */
  input: unknown;
  records: AuditRecord[];
}

interface ScheduledActivity {
  eventId: number;
  name: string;
  input: unknown;
}

const CLOSE_EVENTS: Record<string, Extract<AuditRecord, { type: 'closed' }>['status']> = {
  EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED: 'completed',
  EVENT_TYPE_WORKFLOW_EXECUTION_FAILED: 'failed',
  EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED: 'cancelled',
  EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED: 'terminated',
  EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT: 'timed-out',
  EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW: 'continued-as-new',
};

const ACTIVITY_ENDS: Record<string, ActivityOutcome> = {
  EVENT_TYPE_ACTIVITY_TASK_COMPLETED: 'completed',
  EVENT_TYPE_ACTIVITY_TASK_FAILED: 'failed',
  EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: 'timed-out',
  EVENT_TYPE_ACTIVITY_TASK_CANCELED: 'cancelled',
};

const failureMessage = (a: { failure?: { message?: string; cause?: { message?: string } } }) =>
  a.failure?.cause?.message ?? a.failure?.message;

/**
 * The domain facts of one run's history. Assignment events come from the input of an assignment
 * its starter opened (the opening, patch `perf3-opening-projection`) and from the inputs of the
 * `projectAssignment` activity (or the projection inside a `recordEffects` batch), which carry the events numbered from `firstSeq`: every
 * event the workflow folded reaches a projection, whichever code path (Update handler or
 * main loop) projects it, and a seq seen twice (a re-projection) is kept once. Approval
 * decisions come from `projectApproval` snapshots (new decisions since the last one) and
 * approval step escalations from the approval's escalation notices.
 */
export function extractHistory(history: HistoryJson): ExtractedHistory {
  const started = startedInfo(history);
  const kind = kindOfWorkflowType(started.workflowType);
  const records: AuditRecord[] = [];
  const scheduled = new Map<number, ScheduledActivity>();
  const notices = new Map<number, Extract<AuditRecord, { type: 'notice' }>[]>();
  /** Notices recorded in-app by a `recordEffects` batch, by key. */
  const batched = new Map<string, Extract<AuditRecord, { type: 'notice' }>>();
  let assignmentSeq = 0;
  let approvalDecisions = 0;
  let approvalStep = 0;
  // Patch perf3-opening-projection: an assignment its starter opened (and projected) carries its
  // opening in its input, and the workflow folds `openingEvent` of that time as its seq 1.
  const startInput = started.input[0] as { spec?: AssignmentSpec; opened?: { at?: string } } | undefined;
  if (kind === 'assignment' && startInput?.spec && typeof startInput.opened?.at === 'string' && history.events.length > 0) {
    assignmentSeq = 1;
    records.push({ type: 'assignment-event', eventId: eventIdOf(history.events[0]), seq: 1, event: openingEvent(startInput.spec, startInput.opened.at) });
  }

  for (const event of history.events) {
    const eventId = eventIdOf(event);
    switch (event.eventType) {
      case 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED': {
        const a = attributesOf<{ activityType?: { name?: string }; input?: JsonPayloads }>(event);
        const name = a.activityType?.name ?? '';
        const input = decodePayloads(a.input)[0];
        scheduled.set(eventId, { eventId, name, input });
        // Patch perf2-batched-effects: one `recordEffects` carries the projection and the in-app notices of a round.
        const batch = name === 'recordEffects' ? (input as { assignment?: unknown; approval?: unknown; notices?: NoticeInput[] }) : undefined;
        const assignmentProjection = name === 'projectAssignment' ? input : batch?.assignment;
        const approvalProjection = name === 'projectApproval' ? input : batch?.approval;
        if (assignmentProjection) {
          const p = assignmentProjection as { events: AssignmentEvent[]; firstSeq: number };
          p.events.forEach((e, i) => {
            const seq = p.firstSeq + i;
            if (seq <= assignmentSeq) return;
            assignmentSeq = seq;
            records.push({ type: 'assignment-event', eventId, seq, event: e });
          });
        }
        if (approvalProjection) {
          const state = (approvalProjection as { state: ApprovalState }).state;
          for (const record of state.decisions.slice(approvalDecisions)) {
            records.push({ type: 'approval-event', eventId, stepIndex: approvalStep, event: { type: 'decided', at: record.at, record } });
            if (record.decision === 'approve') approvalStep++;
          }
          approvalDecisions = Math.max(approvalDecisions, state.decisions.length);
        }
        const sent = name === 'sendNotice' ? [input as NoticeInput] : (batch?.notices ?? []);
        for (const notice of sent) {
          // A notice recorded in-app by a batch and then e-mailed by sendNotice is one notice; the e-mail's outcome is its outcome.
          const known = name === 'sendNotice' ? batched.get(notice.key) : undefined;
          if (known) {
            known.outcome = 'pending';
            notices.set(eventId, [...(notices.get(eventId) ?? []), known]);
            continue;
          }
          const record: Extract<AuditRecord, { type: 'notice' }> = { type: 'notice', eventId, notice, outcome: 'pending' };
          // The approval workflow applies 'step-escalated' right before it sends the escalation notice.
          if (kind === 'approval' && notice.kind === 'escalation') {
            const step = notice.key.match(/:sla:([^:]+)/)?.[1] ?? '';
            records.push({ type: 'approval-event', eventId, stepIndex: approvalStep, event: { type: 'step-escalated', at: event.eventTime, step, level: notice.level } });
          }
          if (batch) batched.set(notice.key, record);
          notices.set(eventId, [...(notices.get(eventId) ?? []), record]);
          records.push(record);
        }
        if (name === 'nextReportPeriod') {
          // Recorded when it completes (the result holds the period).
        }
        break;
      }
      case 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED':
      case 'EVENT_TYPE_ACTIVITY_TASK_FAILED':
      case 'EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT':
      case 'EVENT_TYPE_ACTIVITY_TASK_CANCELED': {
        const a = attributesOf<{ scheduledEventId?: string; result?: JsonPayloads; failure?: { message?: string; cause?: { message?: string } } }>(event);
        const scheduledId = Number(a.scheduledEventId);
        for (const notice of notices.get(scheduledId) ?? []) {
          notice.outcome = ACTIVITY_ENDS[event.eventType];
          notice.endedEventId = eventId;
          notice.failure = failureMessage(a);
        }
        const activity = scheduled.get(scheduledId);
        if (activity?.name === 'nextReportPeriod' && event.eventType === 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED') {
          records.push({ type: 'report-period', eventId, period: decodePayloads(a.result)[0] as ReportPeriodRecord });
        }
        break;
      }
      case 'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED': {
        const a = attributesOf<{ workflowId?: string; workflowType?: { name?: string }; input?: JsonPayloads }>(event);
        records.push({ type: 'child-started', eventId, workflowId: a.workflowId ?? '', workflowType: a.workflowType?.name ?? '', input: decodePayloads(a.input)[0] });
        break;
      }
      case 'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED': {
        const a = attributesOf<{ initiatedEventId?: string; workflowExecution?: { runId?: string } }>(event);
        const initiated = records.find((r) => r.type === 'child-started' && r.eventId === Number(a.initiatedEventId));
        if (initiated?.type === 'child-started') initiated.runId = a.workflowExecution?.runId;
        break;
      }
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED': {
        const a = attributesOf<{ signalName?: string; input?: JsonPayloads }>(event);
        records.push({ type: 'signal', eventId, name: a.signalName ?? '', input: decodePayloads(a.input)[0] });
        break;
      }
      default: {
        const status = CLOSE_EVENTS[event.eventType];
        if (!status) break;
        const a = attributesOf<{ result?: JsonPayloads; newExecutionRunId?: string; failure?: { message?: string } }>(event);
        records.push({
          type: 'closed',
          eventId,
          status,
          result: a.result ? decodePayloads(a.result)[0] : undefined,
          newRunId: a.newExecutionRunId,
          failure: a.failure?.message,
        });
      }
    }
  }
  return { kind, workflowType: started.workflowType, input: started.input[0], records };
}

/** The assignment spec a run was started with (assignment and monthly-report workflows). */
export const specOf = (extracted: ExtractedHistory): AssignmentSpec | undefined =>
  (extracted.input as { spec?: AssignmentSpec } | undefined)?.spec;

export const approvalInputOf = (extracted: ExtractedHistory): ApprovalInput | undefined =>
  extracted.kind === 'approval' ? (extracted.input as ApprovalInput) : undefined;

/** The workflow id a history belongs to, from its business key (the CLI's JSON does not carry it). */
export function workflowIdOf(extracted: ExtractedHistory): string | undefined {
  switch (extracted.kind) {
    case 'assignment':
    case 'monthly-report':
      return specOf(extracted)?.id;
    case 'approval':
      return approvalInputOf(extracted)?.approvalId;
    case 'plan': {
      const planId = (extracted.input as { planId?: string } | undefined)?.planId;
      return planId ? `plan:${planId}` : undefined;
    }
    default:
      return undefined;
  }
}

/** The person behind an event, for the timeline. */
export const actorOf = (event: AssignmentEvent): Actor | undefined => ('by' in event ? event.by : undefined);

/** Snapshot of assignment state the workflow handed its projection at `eventId` (for cross-checks). */
export function projectedSnapshots(history: HistoryJson): { eventId: number; state: AssignmentState }[] {
  return history.events
    .filter((e: HistoryEventJson) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED')
    .map((e) => ({ e, a: attributesOf<{ activityType?: { name?: string }; input?: JsonPayloads }>(e) }))
    .filter(({ a }) => a.activityType?.name === 'projectAssignment' || a.activityType?.name === 'recordEffects')
    .map(({ e, a }) => {
      const input = decodePayload(a.input?.payloads?.[0]) as { state?: AssignmentState; assignment?: { state: AssignmentState } };
      return { eventId: eventIdOf(e), state: a.activityType?.name === 'recordEffects' ? input.assignment?.state : input.state };
    })
    .filter((s): s is { eventId: number; state: AssignmentState } => s.state !== undefined);
}
