import { describe, expect, it } from 'vitest';
import type { ApprovalState, AssignmentState } from '@dieu-hanh/domain/assignment';
import { DeadlineStatus } from './deadline-status';
import { translator } from './i18n/i18n';
import { openWaitsOf, waitView, waitWhat, type WaitContext } from './waiting-on.view';

const t = translator('vi');
const context = (now: string): WaitContext => ({
  lang: 'vi',
  t,
  now: new Date(now),
  status: new DeadlineStatus(),
  unitName: (code) => ({ 'VP-TU': 'Văn phòng Tỉnh ủy' })[code] ?? code,
  holders: (unit, role) => (unit === 'VP-TU' && role === 'standing-office' ? 'Trần Văn Chánh, Chánh Văn phòng' : ''),
});
const stepWait = {
  kind: 'approval-step' as const,
  ref: 'vptu-tham-dinh',
  unit: 'VP-TU',
  role: 'chanh-van-phong',
  since: '2020-01-20T02:00:00.000Z',
  deadline: { nominal: '2020-01-22', effective: '2020-01-22', dueAt: '2020-01-22T23:59:59+07:00' },
  level: 2,
};

describe('waitView: who is waited on, since and until when, by the domain status of a wait', () => {
  it('an overdue step: since in local time, the due date, "Quá hạn", calendar days late, its level', () => {
    const v = waitView(stepWait, 'Thẩm định', context('2020-01-24T03:00:00Z'));
    expect(v).toMatchObject({ what: 'Thẩm định', unitName: 'Văn phòng Tỉnh ủy', since: '20/01/2020 09:00', due: '22/01/2020', level: 2 });
    expect(v.status).toMatchObject({ code: 'overdue', label: 'Quá hạn', timeText: 'quá hạn 2 ngày' });
  });

  it('the day before the deadline is "due soon", counted in working days; an extension decision names the Standing Office holders', () => {
    // Friday 17/01/2020 with the deadline on Monday 20/01: one working day left, the weekend not counted.
    const wait = { kind: 'extension-decision' as const, ref: 'x1', unit: 'VP-TU', since: '2020-01-15T02:00:00Z', deadline: { nominal: '2020-01-20', effective: '2020-01-20', dueAt: '2020-01-20T23:59:59+07:00' }, level: 0 };
    const v = waitView(wait, waitWhat(wait, () => undefined, t), context('2020-01-17T03:00:00Z'));
    expect(v).toMatchObject({ what: 'Quyết định gia hạn', people: 'Trần Văn Chánh, Chánh Văn phòng', due: '20/01/2020' });
    expect(v.status).toMatchObject({ code: 'due-soon', timeText: 'còn 1 ngày làm việc' });
  });

  it('lists the open step first, then the assignment’s own open waits; none once the approval is decided', () => {
    const approval = { stepWaits: [stepWait], outcome: undefined } as unknown as ApprovalState;
    const state = { lifecycle: 'awaiting-approval', waits: [{ ...stepWait, kind: 'extension-decision', ref: 'x1' }, { ...stepWait, kind: 'extension-decision', ref: 'x0', closedAt: '2020-01-21T00:00:00Z' }] } as unknown as AssignmentState;
    expect(openWaitsOf(state, approval).map((w) => `${w.kind}:${w.ref}`)).toEqual(['approval-step:vptu-tham-dinh', 'extension-decision:x1']);
    expect(openWaitsOf(state, { ...approval, outcome: 'approve' } as ApprovalState).map((w) => w.ref)).toEqual(['x1']);
  });
});
