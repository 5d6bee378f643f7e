import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const T = temporal.api.enums.v1.EventType;

export interface UpdateWaits {
  /** Updates found in the histories read. */
  updates: number;
  /** Updates (with their workflow) whose answer waited for an activity to end. */
  waited: { workflowId: string; updateId: string; tasksBetween: number }[];
  /** Workflows whose history could not be read. */
  unreadable: string[];
}

/**
 * Did any Update wait for an activity (e-mail, PostgreSQL) before answering? Read from the
 * workflows' own histories, so the machine's load cannot blur it (see updatesIn).
 */
export async function updatesThatWaited(client: Client, workflowIds: Iterable<string>): Promise<UpdateWaits> {
  const result: UpdateWaits = { updates: 0, waited: [], unreadable: [] };
  for (const workflowId of new Set(workflowIds)) {
    let events;
    try {
      events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    } catch {
      result.unreadable.push(workflowId);
      continue;
    }
    for (const w of updatesIn(events)) {
      result.updates += 1;
      if (w.waitedForActivity) result.waited.push({ workflowId, updateId: w.updateId, tasksBetween: w.tasksBetween });
    }
  }
  return result;
}

/** Events that tell a workflow an activity it scheduled is over: what an Update that awaited e-mail or PostgreSQL was woken by. */
const ACTIVITY_OVER = new Set([T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, T.EVENT_TYPE_ACTIVITY_TASK_FAILED, T.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT]);
/** Events an Update may legitimately await: the server starting the approval child (a Temporal command, no outside system). */
const CHILD_STARTED = new Set([T.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED, T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED]);

export interface UpdateInHistory {
  updateId: string;
  /** Workflow tasks completed between the Update's Accepted and Completed events. */
  tasksBetween: number;
  /** Answered in a later task woken only by activities ending: the handler awaited an activity (projection, e-mail). */
  waitedForActivity: boolean;
}

/**
 * Each completed Update of one history. An Update answered from the workflow's state is
 * accepted and completed by the same workflow task. A drafting submission awaits the start of
 * its approval child, so it completes one task later, in the task woken by ChildWorkflowExecutionStarted.
 * One that awaited the notice activity (the old bug) completes in a task woken by that activity's end.
 */
export function updatesIn(events: temporal.api.history.v1.IHistoryEvent[]): UpdateInHistory[] {
  const out: UpdateInHistory[] = [];
  const open = new Map<string, number>(); // updateId -> workflow tasks completed since it was accepted
  let waking: number[] = []; // event types since the last completed workflow task
  let wokeLastTask: number[] = []; // what woke the workflow task completed last
  for (const e of events) {
    const type = e.eventType ?? 0;
    if (type === T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
      const id = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId;
      if (id) open.set(id, 0);
    } else if (type === T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      for (const [id, n] of open) open.set(id, n + 1);
      wokeLastTask = waking;
      waking = [];
    } else if (type === T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED) {
      const id = e.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId;
      if (!id || !open.has(id)) continue;
      const tasksBetween = open.get(id)!;
      const waitedForActivity = tasksBetween > 0 && wokeLastTask.some((t) => ACTIVITY_OVER.has(t)) && !wokeLastTask.some((t) => CHILD_STARTED.has(t));
      out.push({ updateId: id, tasksBetween, waitedForActivity });
      open.delete(id);
    } else {
      waking.push(type);
    }
  }
  return out;
}
