import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { DataSource } from 'typeorm';
import { WORKFLOW_TYPES, decideUpdate, openingSearchAttributes, submitUpdate, type AssignmentWorkflowInput } from '@dieu-hanh/workflows';
import { assignmentOpening, type AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { writeAssignments } from '../../apps/worker/src/activities/projection.activities';
import { bareSubmit } from '../bare.workflow';
import { DEPUTY, DRAFTER, OFFICE, testSpec, today } from '../../test/workflows/fixtures';

/**
 * Waits until the workflow's first task has completed, so the Update comes in a task of its
 * own, as a person's submission days after the start does (events benchmark only).
 */
async function settled(client: Client, workflowId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
    if (events?.some((e) => e.workflowTaskCompletedEventAttributes)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${workflowId}: no completed workflow task after 5 s`);
}

export interface LifeTimes {
  id: string;
  start: number;
  update: number;
  total: number;
}

/** Bare Temporal: start -> one Update -> completed. */
export async function bareLife(client: Client, taskQueue: string, settle = false): Promise<LifeTimes> {
  const id = `bare-${randomUUID()}`;
  const t0 = performance.now();
  const handle = await client.workflow.start('bareWorkflow', { workflowId: id, taskQueue });
  if (settle) await settled(client, id);
  const t1 = performance.now();
  await handle.executeUpdate(bareSubmit, { args: ['Báo cáo'] });
  const t2 = performance.now();
  await handle.result();
  return { id, start: t1 - t0, update: t2 - t1, total: performance.now() - t0 };
}

/** A concretisation plan far from its deadline: no timers fire, one submission completes it. */
export function simpleSpec(): AssignmentSpec {
  return testSpec('concretisation', { dueInSeconds: 30 * 24 * 3600, id: `concretisation:BENCH:-:${randomUUID()}` });
}

export const submission = (spec: AssignmentSpec, version = 1) => ({ version, text: 'Kế hoạch cụ thể hóa', attachments: [], actor: DRAFTER, cites: spec.mustCite });

/**
 * Starts an assignment. With `opening` (the read model), as a plan's launch starts it since patch
 * `perf3-opening-projection`: the start with `opened` and the opening search attributes, then,
 * once the workflow exists, its opening projection (the plan writes a page's in one activity and
 * one transaction; here one, inside the measured time). Without, as before (the baseline's code
 * knows no `opened`).
 */
export async function startAssignment(client: Client, taskQueue: string, spec: AssignmentSpec, opening?: DataSource) {
  if (!opening) return client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue, args: [{ spec } satisfies AssignmentWorkflowInput] });
  const at = new Date().toISOString();
  const handle = await client.workflow.start(WORKFLOW_TYPES.assignment, {
    workflowId: spec.id,
    taskQueue,
    typedSearchAttributes: openingSearchAttributes(spec, at),
    args: [{ spec, opened: { at } } satisfies AssignmentWorkflowInput],
  });
  await opening.transaction((tx) => writeAssignments(tx, [assignmentOpening(spec, at)]));
  return handle;
}

/** An assignment: start -> submit Update -> completed (with its projections and notice); `opening`: see `startAssignment`. */
export async function assignmentLife(client: Client, taskQueue: string, settle = false, opening?: DataSource): Promise<LifeTimes> {
  const spec = simpleSpec();
  const t0 = performance.now();
  const handle = await startAssignment(client, taskQueue, spec, opening);
  if (settle) await settled(client, spec.id);
  const t1 = performance.now();
  await handle.executeUpdate(submitUpdate, { args: [submission(spec)] });
  const t2 = performance.now();
  await handle.result();
  return { id: spec.id, start: t1 - t0, update: t2 - t1, total: performance.now() - t0 };
}

/** Drafting -> submitted -> step 1 approves -> step 2 approves -> done. Returns both workflow ids. */
export async function draftingCycle(client: Client, taskQueue: string, opening?: DataSource): Promise<{ assignmentId: string; approvalId: string }> {
  const spec = testSpec('drafting', { dueInSeconds: 30 * 24 * 3600, chain: true, id: `drafting:BENCH:FT1:${randomUUID()}` });
  const handle = await startAssignment(client, taskQueue, spec, opening);
  await settled(client, spec.id);
  const { approvalId } = await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Dự thảo', attachments: [], actor: DRAFTER }] });
  if (!approvalId) throw new Error('a drafting submission opens an approval');
  const approval = client.workflow.getHandle(approvalId);
  const decide = (step: string, actor: typeof OFFICE) =>
    approval.executeUpdate(decideUpdate, { args: [{ approvalId, version: 1, step, decision: 'approve', comment: 'Đồng ý', actor, today: today() }] });
  await decide('vptu-review', OFFICE);
  await decide('sign-off', DEPUTY);
  await handle.result();
  return { assignmentId: spec.id, approvalId };
}

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The events of a closed workflow. */
export async function historyOf(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return history.events ?? [];
}

/** A readable name for an event: its attribute field without "EventAttributes", plus the activity or marker. */
export function eventName(event: HistoryEvent): string {
  const key = Object.keys(event).find((k) => k.endsWith('EventAttributes') && (event as Record<string, unknown>)[k] != null) ?? 'unknown';
  const base = key.replace(/EventAttributes$/, '');
  if (event.activityTaskScheduledEventAttributes) return `${base} (${event.activityTaskScheduledEventAttributes.activityType?.name})`;
  if (event.markerRecordedEventAttributes) return `${base} (${event.markerRecordedEventAttributes.markerName})`;
  return base;
}
