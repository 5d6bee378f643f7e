import { readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { updatesIn } from './update-waits';

const T = temporal.api.enums.v1.EventType;
const accepted = (updateId: string) => ({ eventType: T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, workflowExecutionUpdateAcceptedEventAttributes: { acceptedRequest: { meta: { updateId } } } });
const completed = (updateId: string) => ({ eventType: T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED, workflowExecutionUpdateCompletedEventAttributes: { meta: { updateId } } });
const ev = (eventType: number) => ({ eventType });
const task = [ev(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED), ev(T.EVENT_TYPE_WORKFLOW_TASK_STARTED), ev(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)];

describe('updatesIn', () => {
  it('an Update answered by the workflow task that accepted it waited for nothing, even with activities scheduled beside it', () => {
    const history = [...task, accepted('u1'), ev(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED), completed('u1')];
    expect(updatesIn(history)).toEqual([{ updateId: 'u1', tasksBetween: 0, waitedForActivity: false }]);
  });

  it('an Update woken by an activity ending waited for it (the projection or e-mail awaited in the handler)', () => {
    const history = [
      ...task, accepted('u1'), ev(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
      ev(T.EVENT_TYPE_ACTIVITY_TASK_STARTED), ev(T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED),
      ...task, completed('u1'),
      ...task, accepted('u2'), completed('u2'),
    ];
    expect(updatesIn(history)).toEqual([
      { updateId: 'u1', tasksBetween: 1, waitedForActivity: true },
      { updateId: 'u2', tasksBetween: 0, waitedForActivity: false },
    ]);
  });

  it('a drafting submission that awaits its approval child starting did not wait for an activity, even when a projection ended beside it', () => {
    const history = [
      ...task, accepted('u1'), ev(T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED), ev(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
      ev(T.EVENT_TYPE_ACTIVITY_TASK_STARTED), ev(T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED), ev(T.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED),
      ...task, completed('u1'),
    ];
    expect(updatesIn(history)).toEqual([{ updateId: 'u1', tasksBetween: 1, waitedForActivity: false }]);
  });

  it('a task that timed out (worker killed) does not hide what woke the task that answered', () => {
    const history = [
      ...task, accepted('u1'), ev(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED), ev(T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED),
      ev(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED), ev(T.EVENT_TYPE_WORKFLOW_TASK_STARTED), ev(T.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT),
      ...task, completed('u1'),
    ];
    expect(updatesIn(history)).toEqual([{ updateId: 'u1', tasksBetween: 1, waitedForActivity: true }]);
  });
});

describe('updatesIn on recorded histories (test/workflows/histories)', () => {
  const load = (file: string) => historyFromJSON(JSON.parse(readFileSync(path.join(__dirname, '../workflows/histories', file), 'utf8')).history).events ?? [];

  it('finds the waits of the code before the side-effect loop, whose handlers awaited the projection and the notice', () => {
    for (const file of ['drafting-send-back-then-approved.json', 'approval-delegated-sign-off.json', 'assignment-escalated-then-done.json']) {
      const updates = updatesIn(load(file));
      expect(updates.length, file).toBeGreaterThan(0);
      expect(updates.every((u) => u.waitedForActivity), file).toBe(true);
    }
  });

  it('finds none in histories recorded with the side-effect loop', () => {
    for (const file of ['assignment-effects-loop-extension-granted.json', 'approval-sla-ladder-then-cancelled.json']) {
      const updates = updatesIn(load(file));
      expect(updates.length, file).toBeGreaterThan(0);
      expect(updates.filter((u) => u.waitedForActivity), file).toEqual([]);
    }
  });
});
