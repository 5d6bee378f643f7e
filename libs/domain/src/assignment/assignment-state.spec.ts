import { describe, expect, it } from 'vitest';
import type { Actor, AssignmentEvent } from './assignment-events';
import type { AssignmentSpec, Deadline, ScheduleEntry } from './assignment-spec';
import { SIDE_EFFECT_FAILURES_KEPT, assignmentOpening, checkExtensionDate, checkShiftDate, foldAssignment, initialAssignmentState, isAssignmentFinal, nextPendingTimer, openWaits, openingEvent, reduceAssignment, unansweredDifficulty } from './assignment-state';

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

describe('assignmentOpening', () => {
  it('is the spec, the state after the opening event and that event as seq 1, as the workflow records it', () => {
    const s = spec('concretisation');
    expect(openingEvent(s, opened.at)).toEqual(opened);
    expect(assignmentOpening(s, opened.at)).toEqual({ spec: s, state: reduceAssignment(initialAssignmentState(s), opened), events: [opened], firstSeq: 1 });
    expect(assignmentOpening(s, opened.at).state).toMatchObject({ seq: 1, lastEventAt: opened.at, lifecycle: 'open' });
  });
});

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

  it('records a granted decision at once and applies the new deadline when the calendar answers', () => {
    let state = foldAssignment(spec('review'), [
      opened,
      { type: 'timer-fired', at: schedule[0].at, index: 0, entry: schedule[0] },
      { type: 'extension-requested', at: '2020-01-25T00:00:00Z', requestId: 'x1', reason: 'Tết', proposedDate: '2020-02-14', by: drafter },
      { type: 'extension-decided', at: 'z', requestId: 'x1', granted: true, comment: 'Đồng ý', by: deputy, date: '2020-02-14' },
    ]);
    // Decided (a second decision is refused from here on), the deadline not moved yet.
    expect(state.extensions[0]).toMatchObject({ status: 'granted', grantedDate: '2020-02-14' });
    expect(state.deadline).toEqual(deadline);
    state = reduceAssignment(state, { type: 'deadline-rescheduled', at: 'z', cause: 'extension', requestId: 'x1', deadline: later, schedule: [] });
    expect(state.deadline).toEqual(later);
    expect(state.fired).toEqual([]);
    expect(state.originalDeadline).toEqual(deadline);
  });

  it('keeps the deadline of a closed assignment when a reschedule arrives late', () => {
    const state = foldAssignment(spec('review'), [opened, submitted(1, 'a')]);
    expect(reduceAssignment(state, { type: 'deadline-rescheduled', at: 'z', cause: 'extension', requestId: 'x1', deadline: later, schedule: [] }).deadline).toEqual(deadline);
  });

  it('keeps the last side-effect failures in the state', () => {
    let state = foldAssignment(spec('review'), [opened]);
    for (let i = 0; i < SIDE_EFFECT_FAILURES_KEPT + 2; i++) {
      state = reduceAssignment(state, { type: 'side-effect-failed', at: `t${i}`, effect: 'notice', key: `k${i}`, code: 'SMTP_UNAVAILABLE', message: 'down', willRetry: true });
    }
    expect(state.sideEffectFailures).toHaveLength(SIDE_EFFECT_FAILURES_KEPT);
    expect(state.sideEffectFailures?.at(-1)).toEqual({ at: `t${SIDE_EFFECT_FAILURES_KEPT + 1}`, effect: 'notice', key: `k${SIDE_EFFECT_FAILURES_KEPT + 1}`, code: 'SMTP_UNAVAILABLE', message: 'down', willRetry: true });
  });
});

describe('checkExtensionDate', () => {
  const state = { deadline: { nominal: '2031-01-16', effective: '2031-01-16', dueAt: '2031-01-16T23:59:59+07:00' } };
  it('takes a real date after the deadline in force', () => {
    expect(checkExtensionDate(state, '2031-01-17')).toBeUndefined();
  });
  it('refuses a date that would shorten the deadline or keep it', () => {
    expect(checkExtensionDate(state, '2020-01-01')).toMatchObject({ code: 'INVALID', field: 'date' });
    expect(checkExtensionDate(state, '2031-01-16')).toMatchObject({ code: 'INVALID' });
  });
  it('refuses dates that do not exist or are not yyyy-mm-dd', () => {
    for (const bad of ['2031-02-31', '2031-13-01', '2031-1-20', '20310120', '2031-01-20T00:00:00Z', '', 'x']) {
      expect(checkExtensionDate(state, bad, 'proposedDate'), bad).toMatchObject({ code: 'INVALID', field: 'proposedDate' });
    }
  });
  it('a shift may move a deadline either way, but only to a real date', () => {
    expect(checkShiftDate('2020-01-01')).toBeUndefined();
    expect(checkShiftDate('2020-02-30')).toMatchObject({ code: 'INVALID' });
  });
});

describe('waits on a person (an extension decision)', () => {
  const office: Actor = { userId: 'u3', name: 'Chánh Văn phòng', unit: 'VP-TU', roles: ['standing-office'] };
  const requested: AssignmentEvent = { type: 'extension-requested', at: '2020-01-20T09:00:00+07:00', requestId: 'x1', reason: 'Tết', proposedDate: '2020-02-14', by: drafter };
  const waitOpened: AssignmentEvent = { type: 'wait-opened', at: 'o', kind: 'extension-decision', ref: 'x1', unit: 'VP-TU', since: '2020-01-20T09:00:00+07:00', deadline: later };

  it('records the wait, its level, and closes it with the decision', () => {
    let state = foldAssignment(spec('review'), [opened, requested, waitOpened]);
    expect(openWaits(state)).toEqual([{ kind: 'extension-decision', ref: 'x1', unit: 'VP-TU', since: '2020-01-20T09:00:00+07:00', deadline: later, level: 0 }]);
    state = reduceAssignment(state, { type: 'wait-escalated', at: 'e', kind: 'extension-decision', ref: 'x1', level: 1 });
    expect(openWaits(state)[0].level).toBe(1);
    state = reduceAssignment(state, { type: 'extension-decided', at: 'd', requestId: 'x1', granted: false, comment: 'Không', by: office });
    expect(openWaits(state)).toEqual([]);
    expect(state.waits?.[0]).toMatchObject({ closedAt: 'd', level: 1 });
  });

  it('closes open waits when the assignment is cancelled, and assignments without waits get none', () => {
    const state = foldAssignment(spec('review'), [opened, requested, waitOpened, { type: 'cancelled', at: 'c', reason: 'plan closed', by: office }]);
    expect(state.waits?.[0].closedAt).toBe('c');
    expect(foldAssignment(spec('review'), [opened, requested]).waits).toBeUndefined();
  });
});

describe('waits on a person (an answer to a reported difficulty)', () => {
  const reported: AssignmentEvent = { type: 'submitted', at: '2020-03-02T09:00:00+07:00', version: 1, text: 'Báo cáo tháng 2', attachments: [], by: drafter, difficulties: 'Thiếu kinh phí' };
  const waitOpened: AssignmentEvent = { type: 'wait-opened', at: 'o', kind: 'difficulty-answer', ref: 'v1', unit: 'TT-TU', since: '2020-03-02T09:00:00+07:00', deadline: later };

  it('a report done still waits for the answer to its difficulty; the answer closes the wait and shows on the submission', () => {
    let state = foldAssignment(spec('monthly-report'), [opened, reported, waitOpened]);
    expect(state.lifecycle).toBe('done');
    expect(unansweredDifficulty(state)?.version).toBe(1);
    expect(openWaits(state)).toEqual([{ kind: 'difficulty-answer', ref: 'v1', unit: 'TT-TU', since: '2020-03-02T09:00:00+07:00', deadline: later, level: 0 }]);
    state = reduceAssignment(state, { type: 'difficulty-answered', at: 'a', version: 1, text: 'Giao Sở Tài chính', by: deputy });
    expect(state.submissions[0].difficultyAnswer).toEqual({ text: 'Giao Sở Tài chính', by: deputy, at: 'a' });
    expect(unansweredDifficulty(state)).toBeUndefined();
    expect(openWaits(state)).toEqual([]);
    expect(state.waits?.[0].closedAt).toBe('a');
  });

  it('a difficulty closed unanswered (its plan closed first) waits no more; other waits of a done report are not opened', () => {
    const state = foldAssignment(spec('monthly-report'), [opened, reported, waitOpened, { type: 'difficulty-closed', at: 'c', version: 1, reason: 'plan closed' }]);
    expect(unansweredDifficulty(state)).toBeUndefined();
    expect(state.waits?.[0].closedAt).toBe('c');
    const extension: AssignmentEvent = { ...waitOpened, kind: 'extension-decision', ref: 'x1' };
    expect(foldAssignment(spec('monthly-report'), [opened, reported, extension]).waits).toBeUndefined();
  });
});
