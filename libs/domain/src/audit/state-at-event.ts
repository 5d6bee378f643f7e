import { initialApprovalState, reduceApproval, type ApprovalEvent, type ApprovalState } from '../assignment/approval-state';
import { foldAssignment, type AssignmentState } from '../assignment/assignment-state';
import type { AssignmentEvent } from '../assignment/assignment-events';
import { approvalInputOf, specOf, type AuditedKind, type ExtractedHistory, type ReportPeriodRecord } from './domain-events';

/** What `planProgress` answers. */
export interface PlanProgressState {
  started: number;
  closed: number;
  total: number;
  closing: boolean;
}

/** What `reportDuty` answers. */
export interface ReportDutyState {
  after?: string;
  current?: ReportPeriodRecord;
  periodIds: string[];
}

export type StateAtEvent =
  | { kind: 'assignment'; eventId: number; state: AssignmentState }
  | { kind: 'approval'; eventId: number; state: ApprovalState }
  | { kind: 'plan'; eventId: number; state: PlanProgressState }
  | { kind: 'monthly-report'; eventId: number; state: ReportDutyState };

const upTo = (eventId: number) => (r: { eventId: number }) => r.eventId <= eventId;

/**
 * The workflow's state after history event `eventId`, rebuilt with the same reducers the
 * workflow folds its events through (reduceAssignment, reduceApproval), so what an auditor
 * sees and what the workflow answered cannot disagree.
 */
export function stateAtEvent(extracted: ExtractedHistory, eventId: number): StateAtEvent {
  const records = extracted.records.filter(upTo(eventId));
  const kind: AuditedKind | undefined = extracted.kind;
  switch (kind) {
    case 'assignment': {
      const spec = specOf(extracted);
      if (!spec) throw new Error('the history has no assignment spec in its input');
      const events = records.flatMap((r) => (r.type === 'assignment-event' ? [r.event as AssignmentEvent] : []));
      return { kind, eventId, state: foldAssignment(spec, events) };
    }
    case 'approval': {
      const input = approvalInputOf(extracted);
      if (!input) throw new Error('the history has no approval input');
      const events = records.flatMap((r) => (r.type === 'approval-event' ? [r.event as ApprovalEvent] : []));
      return { kind, eventId, state: events.reduce(reduceApproval, initialApprovalState(input)) };
    }
    case 'plan': {
      const input = extracted.input as { specs: unknown[]; startedCount?: number; closedIds?: string[] };
      const closed = new Set(input.closedIds ?? []);
      let started = input.startedCount ?? 0;
      let closing = false;
      for (const r of records) {
        if (r.type === 'child-started') started++;
        if (r.type === 'signal' && r.name === 'assignmentClosed') closed.add((r.input as { assignmentId: string }).assignmentId);
        if (r.type === 'signal' && r.name === 'closePlan') closing = true;
      }
      return { kind, eventId, state: { started: Math.min(started, input.specs.length), closed: closed.size, total: input.specs.length, closing } };
    }
    case 'monthly-report': {
      let after = (extracted.input as { after?: string }).after;
      let current: ReportDutyState['current'];
      const periodIds: string[] = [];
      for (const r of records) {
        if (r.type === 'report-period') {
          if (current) after = current.period;
          current = r.period;
        }
        if (r.type === 'child-started') periodIds.push(r.workflowId);
      }
      return { kind, eventId, state: { after, current, periodIds } };
    }
    default:
      throw new Error(`no state is known for workflow type ${extracted.workflowType}`);
  }
}
