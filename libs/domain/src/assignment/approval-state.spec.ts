import { describe, expect, it } from 'vitest';
import type { Actor } from './assignment-events';
import { checkDecision, currentStep, initialApprovalState, openStepWait, reduceApproval, type ApprovalState, type DecisionRequest } from './approval-state';

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
    expect(checkDecision(atSign, { ...delegated, delegation: { ...delegated.delegation!, from: { ...standIn, userId: 'z', name: 'Không giữ bước' } } })?.code).toBe('DELEGATION_INVALID');
  });

  it('refuses one person deciding two steps of a chain, as themselves or on someone\'s behalf', () => {
    // The deputy's stand-in is in the Standing Board with the Chánh Văn phòng's role too.
    const both: Actor = { userId: 'b', name: 'Kiêm nhiệm', unit: 'VP-TU', roles: ['approver', 'chanh-van-phong', 'pho-bi-thu'] };
    const chain2 = { ...initial, chain: initial.chain.map((s) => ({ ...s, unit: 'VP-TU' })) };
    const afterReview = decide(chain2, request({ actor: both }));
    expect(checkDecision(afterReview, request({ step: 'sign', actor: both }))?.code).toBe('SAME_PERSON');
    // Step 1 as themselves, step 2 on the deputy's authority: refused too.
    const atSign = decide(initial, request({}));
    const colleague: Actor = { ...office, userId: 'o2', unit: 'TT-TU', roles: ['approver'] };
    const asDelegate = request({ step: 'sign', actor: office, delegation: { from: deputy, to: office, validFrom: '2020-01-27', validTo: '2020-02-07' } });
    expect(checkDecision(atSign, asDelegate)?.code).toBe('SAME_PERSON');
    // Step 1 on someone's behalf, then the lender's own authority used again by a colleague: refused.
    const byDelegate = decide(initial, request({ actor: colleague, delegation: undefined }));
    expect(checkDecision(byDelegate, request({ step: 'sign', actor: colleague }))?.code).toBe('SAME_PERSON');
  });

  it('checks the delegation with the domain rules rather than trusting the payload', () => {
    const atSign = decide(initial, request({}));
    const base = { from: deputy, validFrom: '2020-01-27', validTo: '2020-02-07' };
    const drafterOnly: Actor = { userId: 'x', name: 'Chuyên viên', unit: 'TT-TU', roles: ['drafter'] };
    expect(checkDecision(atSign, request({ step: 'sign', actor: drafterOnly, delegation: base }))?.code).toBe('DELEGATION_INVALID');
    expect(checkDecision(atSign, request({ step: 'sign', actor: standIn, delegation: { ...base, revokedAt: '2020-01-27T03:00:00Z' } }))?.code).toBe('DELEGATION_INVALID');
    expect(checkDecision(atSign, request({ step: 'sign', actor: standIn, delegation: { ...base, to: drafterOnly } }))?.code).toBe('DELEGATION_INVALID');
    expect(checkDecision(atSign, request({ step: 'sign', actor: standIn, delegation: { ...base, validFrom: '2020-01-28T00:00:00.000Z' } }))?.code).toBe('DELEGATION_INVALID');
  });

  it('closes on a send-back or rejection at any step', () => {
    const sentBack = decide(initial, request({ decision: 'request-changes', comment: 'Bổ sung số liệu' }));
    expect(sentBack.outcome).toBe('request-changes');
    expect(currentStep(sentBack)).toBeUndefined();
  });
});

describe('step waits', () => {
  const due = { nominal: '2020-05-08', effective: '2020-05-08', dueAt: '2020-05-08T23:59:59+07:00' };
  const opened = reduceApproval(initial, { type: 'step-opened', at: '2020-04-29T10:30:00+07:00', step: 'review', unit: 'VP-TU', role: 'chanh-van-phong', deadline: due });

  it('records who is waited on, since and until when, and the level the step reached', () => {
    expect(openStepWait(opened)).toEqual({ kind: 'approval-step', ref: 'review', unit: 'VP-TU', role: 'chanh-van-phong', since: '2020-04-29T10:30:00+07:00', deadline: due, level: 0 });
    const escalated = reduceApproval(reduceApproval(opened, { type: 'step-escalated', at: 'x', step: 'review', level: 2 }), { type: 'step-escalated', at: 'y', step: 'review', level: 1 });
    expect(openStepWait(escalated)?.level).toBe(2);
    // An escalation of another step (an older approval's event) changes no wait.
    expect(openStepWait(reduceApproval(opened, { type: 'step-escalated', at: 'x', step: 'sign', level: 1 }))?.level).toBe(0);
  });

  it('closes the wait when the step is decided or the approval cancelled', () => {
    const decided = decide(opened, request({}));
    expect(openStepWait(decided)).toBeUndefined();
    expect(decided.stepWaits?.[0].closedAt).toBe('t');
    const cancelled = reduceApproval(opened, { type: 'cancelled', at: 'c', reason: 'plan closed' });
    expect(cancelled.stepWaits?.[0].closedAt).toBe('c');
    // Older approvals have no waits and get none.
    expect(decide(initial, request({})).stepWaits).toBeUndefined();
  });
});
