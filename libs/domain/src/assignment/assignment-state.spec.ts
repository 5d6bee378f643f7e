import { describe, expect, it } from 'vitest';
import type { Actor, AssignmentEvent } from './assignment-events';
import type { AssignmentSpec, Deadline, ScheduleEntry } from './assignment-spec';
import { foldAssignment, initialAssignmentState, isAssignmentFinal, nextPendingTimer, reduceAssignment } from './assignment-state';

const deadline: Deadline = { nominal: '2020-01-31', effective: '2020-01-31', dueAt: '2020-01-31T23:59:59+07:00' };
const later: Deadline = { nominal: '2020-02-14', effective: '2020-02-14', dueAt: '2020-02-14T23:59:59+07:00' };
const schedule: ScheduleEntry[] = [
  { at: '2020-01-21T08:00:00+07:00', type: 'reminder', level: 0, notify: ['lead-unit'] },
  { at: '2020-02-01T00:00:00+07:00', type: 'escalation', level: 1, notify: ['lead-unit-head'] },
  { at: '2020-02-04T08:00:00+07:00', type: 'escalation', level: 2, notify: ['standing-office'] },
];
const spec = (kind: AssignmentSpec['kind']): AssignmentSpec => ({
  id: `${kind}:P@v1:FT2:BCSD-UBND`,
  kind,
  planId: 'P@v1',
  planNumber: '1-KH/TU',
  taskCodes: ['FT2'],
  title: 't',
  leadUnit: 'BCSD-UBND',
  coordinatingUnits: [],
  deadline,
  schedule,
  noticeUnits: { standingOffice: 'VP-TU', standingCommittee: 'TT-TU' },
  ...(kind === 'drafting' || kind === 'policy-proposal' ? { approvalChain: [{ step: 'sign', label: 'Ký duyệt', unit: 'TT-TU', role: 'pho-bi-thu' }] } : {}),
});
const drafter: Actor = { userId: 'u1', name: 'Chuyên viên', unit: 'BCSD-UBND', roles: ['drafter'] };
const deputy: Actor = { userId: 'u2', name: 'Phó Bí thư', unit: 'TT-TU', roles: ['approver'] };
const opened: AssignmentEvent = { type: 'opened', at: '2020-01-02T08:00:00Z', deadline, schedule };
const submitted = (version: number, at: string): AssignmentEvent => ({ type: 'submitted', at, version, text: `v${version}`, attachments: [], by: drafter });

describe('reduceAssignment', () => {
  it('fires timers in order and raises the escalation level; a repeated timer event changes nothing', () => {
    let state = foldAssignment(spec('concretisation'), [opened]);
    expect(nextPendingTimer(state)?.index).toBe(0);
    state = reduceAssignment(state, { type: 'timer-fired', at: schedule[0].at, index: 0, entry: schedule[0] });
    state = reduceAssignment(state, { type: 'timer-fired', at: schedule[1].at, index: 1, entry: schedule[1] });
    const again = reduceAssignment(state, { type: 'timer-fired', at: schedule[1].at, index: 1, entry: schedule[1] });
    expect(again).toBe(state);
    expect(state.escalationLevel).toBe(1);
    expect(nextPendingTimer(state)?.index).toBe(2);
  });

  it('sends a submission through approval whenever the plan gives the assignment a chain, whatever its kind', () => {
    expect(foldAssignment(spec('policy-proposal'), [opened, submitted(1, 'a')]).lifecycle).toBe('awaiting-approval');
    expect(foldAssignment(spec('review'), [opened, submitted(1, 'a')]).lifecycle).toBe('done');
  });

  it('completes a plain assignment on submission and stops its timers', () => {
    const state = foldAssignment(spec('concretisation'), [opened, submitted(1, '2020-01-20T03:00:00Z')]);
    expect(state.lifecycle).toBe('done');
    expect(state.completedAt).toBe('2020-01-20T03:00:00Z');
    expect(isAssignmentFinal(state)).toBe(true);
    expect(nextPendingTimer(state)).toBeUndefined();
  });

  it('waits for approval after a draft, reopens with a new deadline on request-changes, and closes on approval', () => {
    const s = spec('drafting');
    let state = foldAssignment(s, [opened, submitted(1, '2020-01-20T03:00:00Z'), { type: 'approval-opened', at: '2020-01-20T03:00:01Z', version: 1, approvalId: 'a1' }]);
    expect(state.lifecycle).toBe('awaiting-approval');
    expect(nextPendingTimer(state)).toBeUndefined();
    state = reduceAssignment(state, {
      type: 'approval-closed', at: '2020-01-22T03:00:00Z', version: 1, approvalId: 'a1', outcome: 'request-changes', comment: 'Bổ sung', by: deputy, deadline: later, schedule: [],
    });
    expect(state.lifecycle).toBe('open');
    expect(state.deadline).toEqual(later);
    expect(state.originalDeadline).toEqual(deadline);
    expect(state.submissions[0]).toMatchObject({ outcome: 'request-changes', comment: 'Bổ sung', decidedBy: deputy });
    state = reduceAssignment(state, submitted(2, '2020-02-10T03:00:00Z'));
    state = reduceAssignment(state, { type: 'approval-closed', at: '2020-02-11T03:00:00Z', version: 2, approvalId: 'a2', outcome: 'approve', comment: '', by: deputy });
    expect(state.lifecycle).toBe('done');
    expect(state.submissions.map((x) => x.outcome)).toEqual(['request-changes', 'approve']);
  });

  it('keeps the original deadline through a granted extension and resets the timers; a refusal changes no deadline', () => {
    let state = foldAssignment(spec('review'), [
      opened,
      { type: 'timer-fired', at: schedule[0].at, index: 0, entry: schedule[0] },
      { type: 'extension-requested', at: '2020-01-25T00:00:00Z', requestId: 'x1', reason: 'Tết', proposedDate: '2020-02-14', by: drafter },
    ]);
    expect(state.extensions[0].status).toBe('pending');
    const refused = reduceAssignment(state, { type: 'extension-decided', at: 'z', requestId: 'x1', granted: false, comment: 'Không', by: deputy });
    expect(refused.deadline).toEqual(deadline);
    expect(refused.extensions[0].status).toBe('refused');
    state = reduceAssignment(state, { type: 'extension-decided', at: 'z', requestId: 'x1', granted: true, comment: 'Đồng ý', by: deputy, deadline: later, schedule: [] });
    expect(state.deadline).toEqual(later);
    expect(state.originalDeadline).toEqual(deadline);
    expect(state.fired).toEqual([]);
    expect(state.extensions[0]).toMatchObject({ status: 'granted', decidedBy: deputy });
  });

  it('numbers every event, so the state at event N can be rebuilt from the history', () => {
    const events = [opened, submitted(1, 'a'), { type: 'cancelled', at: 'b', reason: 'x', by: deputy } as AssignmentEvent];
    expect(foldAssignment(spec('drafting'), events).seq).toBe(3);
    expect(foldAssignment(spec('drafting'), events, 1)).toEqual({ ...initialAssignmentState(spec('drafting')), seq: 1, lastEventAt: opened.at });
  });
});
