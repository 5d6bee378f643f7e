import { describe, expect, it } from 'vitest';
import type { Actor } from './assignment-events';
import { checkDecision, currentStep, initialApprovalState, reduceApproval, type ApprovalState, type DecisionRequest } from './approval-state';

const office: Actor = { userId: 'o', name: 'Chánh Văn phòng', unit: 'VP-TU', roles: ['approver', 'chanh-van-phong'] };
const deputy: Actor = { userId: 'd', name: 'Phó Bí thư', unit: 'TT-TU', roles: ['approver', 'pho-bi-thu'] };
const standIn: Actor = { userId: 's', name: 'Ủy viên Thường trực', unit: 'TT-TU', roles: ['approver'] };
const initial = initialApprovalState({
  approvalId: 'a1',
  assignmentId: 'drafting:P:FT1:BTC-TU',
  planId: 'P',
  leadUnit: 'BTC-TU',
  version: 2,
  chain: [
    { step: 'review', label: 'Thẩm định', unit: 'VP-TU', role: 'chanh-van-phong' },
    { step: 'sign', label: 'Ký duyệt', unit: 'TT-TU', role: 'pho-bi-thu' },
  ],
  noticeUnits: { standingOffice: 'VP-TU', standingCommittee: 'TT-TU' },
});
const request = (over: Partial<DecisionRequest>): DecisionRequest => ({
  approvalId: 'a1', version: 2, step: 'review', decision: 'approve', comment: '', actor: office, today: '2020-01-28', ...over,
});
const decide = (state: ApprovalState, r: DecisionRequest) =>
  reduceApproval(state, { type: 'decided', at: 't', record: { step: r.step, decision: r.decision, comment: r.comment, by: r.actor, onBehalfOf: r.delegation?.from, at: 't' } });

describe('checkDecision', () => {
  it('accepts the holder of the open step and walks the chain to approval', () => {
    expect(checkDecision(initial, request({}))).toBeUndefined();
    const afterReview = decide(initial, request({}));
    expect(currentStep(afterReview)?.step).toBe('sign');
    expect(checkDecision(afterReview, request({ step: 'sign', actor: deputy }))).toBeUndefined();
    const approved = decide(afterReview, request({ step: 'sign', actor: deputy }));
    expect(approved.outcome).toBe('approve');
    expect(checkDecision(approved, request({ step: 'sign', actor: deputy }))?.code).toBe('APPROVAL_CLOSED');
  });

  it('refuses a person without authority, a stale version, the wrong step and a send-back without comment', () => {
    expect(checkDecision(initial, request({ actor: deputy }))?.code).toBe('NOT_AUTHORISED');
    expect(checkDecision(initial, request({ version: 1 }))?.code).toBe('STALE_VERSION');
    expect(checkDecision(initial, request({ step: 'sign' }))?.code).toBe('WRONG_STEP');
    expect(checkDecision(initial, request({ decision: 'reject', comment: '  ' }))?.code).toBe('COMMENT_REQUIRED');
  });

  it('lets a delegate act within the dates of a delegation from a holder, and the record names both', () => {
    const atSign = decide(initial, request({}));
    const delegated = request({ step: 'sign', actor: standIn, delegation: { from: deputy, validFrom: '2020-01-27', validTo: '2020-02-07' } });
    expect(checkDecision(atSign, delegated)).toBeUndefined();
    expect(decide(atSign, delegated).decisions.at(-1)).toMatchObject({ by: standIn, onBehalfOf: deputy });
    expect(checkDecision(atSign, { ...delegated, today: '2020-02-08' })?.code).toBe('DELEGATION_INVALID');
    expect(checkDecision(atSign, { ...delegated, delegation: { ...delegated.delegation!, from: office } })?.code).toBe('DELEGATION_INVALID');
  });

  it('closes on a send-back or rejection at any step', () => {
    const sentBack = decide(initial, request({ decision: 'request-changes', comment: 'Bổ sung số liệu' }));
    expect(sentBack.outcome).toBe('request-changes');
    expect(currentStep(sentBack)).toBeUndefined();
  });
});
