import { describe, expect, it } from 'vitest';
import type { Actor, AssignmentEvent } from './assignment-events';
import type { AssignmentSpec, Deadline } from './assignment-spec';
import { foldAssignment, openWaits, reduceAssignment } from './assignment-state';
import { checkComment, checkCommentRequest, commentLimitOf, commentsAwaited, coordinatingUnitsOf } from './coordination';
import { unitAccess, unitAccessSql } from './unit-access';

const deadline: Deadline = { nominal: '2020-01-31', effective: '2020-01-31', dueAt: '2020-01-31T23:59:59+07:00' };
const due: Deadline = { nominal: '2020-01-13', effective: '2020-01-13', dueAt: '2020-01-13T23:59:59+07:00' };
const policy = { noticeTime: '08:00', reminders: [], ladder: [{ afterWorkingDays: 0, notify: ['waited-on' as const] }] };
const spec: AssignmentSpec = {
  id: 'drafting:P@v1:FT1:BTC-TU',
  kind: 'drafting',
  planId: 'P@v1',
  planNumber: '1-KH/TU',
  taskCodes: ['FT1'],
  title: 't',
  leadUnit: 'BTC-TU',
  coordinatingUnits: ['BTG-TU', 'BDV-TU'],
  deadline,
  schedule: [],
  noticeUnits: { standingOffice: 'VP-TU', standingCommittee: 'TT-TU' },
  approvalChain: [{ step: 'sign', label: 'Ký duyệt', unit: 'TT-TU', role: 'pho-bi-thu' }],
  responseDeadlines: { coordinationComment: { limit: { workingDays: 5 }, policy, assumed: true } },
};
const person = (unit: string, roles = ['drafter']): Actor => ({ userId: `u-${unit}`, name: unit, unit, roles });
const lead = person('BTC-TU');
const propaganda = person('BTG-TU');
const opened: AssignmentEvent = { type: 'opened', at: '2020-01-02T08:00:00Z', deadline, schedule: [] };
const requested: AssignmentEvent = { type: 'comments-requested', at: '2020-01-06T09:00:00+07:00', requestId: 'r1', units: ['BTG-TU', 'BDV-TU'], question: 'Góp ý?', version: 1, limit: { workingDays: 5 }, by: lead };
const request = (over: Partial<Parameters<typeof checkCommentRequest>[2]> = {}) => ({ requestId: 'r2', units: ['BTG-TU'], question: 'Góp ý dự thảo', actor: lead, ...over });

describe('asking coordinating units for comments (xin ý kiến)', () => {
  const state = foldAssignment(spec, [opened]);

  it('lets the lead unit ask its coordinating units, with the plan\'s default time or its own', () => {
    expect(checkCommentRequest(spec, state, request())).toBeUndefined();
    expect(commentLimitOf(spec, request())).toEqual({ workingDays: 5 });
    expect(commentLimitOf(spec, request({ limit: { workingDays: 2 } }))).toEqual({ workingDays: 2 });
  });

  it('refuses another unit asking, a unit that does not coordinate, no unit, an empty question, a limit out of range, and no limit at all', () => {
    expect(checkCommentRequest(spec, state, request({ actor: propaganda }))?.code).toBe('NOT_AUTHORISED');
    expect(checkCommentRequest(spec, state, request({ units: ['SO-TC'] }))).toMatchObject({ code: 'INVALID', field: 'units' });
    expect(checkCommentRequest(spec, state, request({ units: [] }))).toMatchObject({ code: 'INVALID', field: 'units' });
    expect(checkCommentRequest(spec, state, request({ units: ['BTG-TU', 'BTG-TU'] }))).toMatchObject({ code: 'INVALID', field: 'units' });
    expect(checkCommentRequest(spec, state, request({ question: '  ' }))).toMatchObject({ code: 'INVALID', field: 'question' });
    expect(checkCommentRequest(spec, state, request({ limit: { workingDays: 0 } }))).toMatchObject({ code: 'INVALID', field: 'workingDays' });
    expect(checkCommentRequest(spec, state, request({ limit: { workingDays: 31 } }))).toMatchObject({ code: 'INVALID', field: 'workingDays' });
    expect(checkCommentRequest({ ...spec, responseDeadlines: undefined }, state, request())).toMatchObject({ code: 'INVALID', field: 'workingDays' });
    const withR1 = reduceAssignment(state, requested);
    expect(checkCommentRequest(spec, withR1, request({ requestId: 'r1' }))?.code).toBe('DUPLICATE');
    expect(checkCommentRequest(spec, reduceAssignment(state, { type: 'cancelled', at: 'x', reason: 'r', by: lead }), request())?.code).toBe('NOT_ACCEPTING');
  });

  it('takes one comment per unit asked, closes that unit\'s wait, and leaves the others waiting', () => {
    let s = foldAssignment(spec, [
      opened,
      requested,
      { type: 'wait-opened', at: 'o1', kind: 'coordination-comment', ref: 'r1:BTG-TU', unit: 'BTG-TU', since: requested.at, deadline: due },
      { type: 'wait-opened', at: 'o2', kind: 'coordination-comment', ref: 'r1:BDV-TU', unit: 'BDV-TU', since: requested.at, deadline: due },
    ]);
    expect(commentsAwaited(s, 'BTG-TU').map((r) => r.requestId)).toEqual(['r1']);
    expect(checkComment(s, { requestId: 'r1', text: 'Đồng ý', actor: person('SO-TC') })?.code).toBe('NOT_AUTHORISED');
    expect(checkComment(s, { requestId: 'r1', text: 'Đồng ý', actor: lead })?.code).toBe('NOT_AUTHORISED');
    expect(checkComment(s, { requestId: 'r9', text: 'Đồng ý', actor: propaganda })?.code).toBe('NOT_FOUND');
    expect(checkComment(s, { requestId: 'r1', text: ' ', actor: propaganda })).toMatchObject({ code: 'INVALID', field: 'text' });
    expect(checkComment(s, { requestId: 'r1', text: 'Đồng ý', actor: propaganda })).toBeUndefined();
    s = reduceAssignment(s, { type: 'comment-given', at: '2020-01-07T10:00:00+07:00', requestId: 'r1', unit: 'BTG-TU', text: 'Đồng ý', by: propaganda });
    expect(s.commentRequests![0].comments).toEqual([{ unit: 'BTG-TU', text: 'Đồng ý', by: propaganda, at: '2020-01-07T10:00:00+07:00' }]);
    expect(checkComment(s, { requestId: 'r1', text: 'Lần nữa', actor: propaganda })?.code).toBe('ALREADY_ANSWERED');
    expect(commentsAwaited(s, 'BTG-TU')).toEqual([]);
    expect(openWaits(s).map((w) => w.ref)).toEqual(['r1:BDV-TU']);
  });

  it('follows a hand-over: the new lead asks, and is no longer one of its own coordinating units', () => {
    const handed = reduceAssignment(foldAssignment(spec, [opened]), { type: 'handed-over', at: 'h', from: 'BTC-TU', to: 'BTG-TU', reason: 'sáp nhập', by: lead });
    expect(coordinatingUnitsOf(spec, handed)).toEqual(['BDV-TU']);
    expect(checkCommentRequest(spec, handed, request({ actor: lead }))?.code).toBe('NOT_AUTHORISED');
    expect(checkCommentRequest(spec, handed, request({ actor: propaganda, units: ['BDV-TU'] }))).toBeUndefined();
  });
});

describe('who may see an assignment (unitAccess)', () => {
  const row = { leadUnit: 'BTC-TU', coordinatingUnits: ['BTG-TU'] };
  it('lets the lead unit, its coordinating units and those who see every unit read it; nobody else', () => {
    expect(unitAccess(lead, row)).toBe('lead');
    expect(unitAccess(propaganda, row)).toBe('coordinating');
    expect(unitAccess(person('VP-TU', ['standing-office']), row)).toBe('all');
    expect(unitAccess(person('UBKT-TU', ['auditor']), row)).toBe('all');
    expect(unitAccess(person('SO-TC'), row)).toBeUndefined();
    expect(unitAccess(person('BTG-TU'), { leadUnit: 'BTC-TU' })).toBeUndefined();
  });
  it('says the same in SQL', () => {
    expect(unitAccessSql('a', 'own')).toBe('(a.lead_unit = :own OR :own = ANY(a.coordinating_units))');
  });
});
