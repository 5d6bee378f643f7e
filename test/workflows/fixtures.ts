import { randomUUID } from 'node:crypto';
import { EscalationPolicySchema, buildEscalationSchedule, createWorkingCalendar, type EscalationPolicyInput } from '@dieu-hanh/domain';
import type { Actor, AssignmentKind, AssignmentSpec, Deadline } from '@dieu-hanh/domain/assignment';

const calendar = createWorkingCalendar();
const localDate = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(d);

/** A deadline `seconds` from now (tests use second-scale policies). */
export function deadlineIn(seconds: number): Deadline {
  const due = new Date(Date.now() + seconds * 1000);
  return { nominal: localDate(due), effective: localDate(due), dueAt: due.toISOString() };
}

export const SECONDS_POLICY: EscalationPolicyInput = {
  reminders: [{ beforeSeconds: 2, notify: ['lead-unit'] }],
  ladder: [
    { afterSeconds: 0, notify: ['lead-unit-head'] },
    { afterSeconds: 2, notify: ['standing-office'] },
    { afterSeconds: 4, notify: ['standing-committee'] },
  ],
  sendBack: { seconds: 60 },
};

export function testSpec(kind: AssignmentKind, options: { dueInSeconds?: number; policy?: EscalationPolicyInput; chain?: boolean; id?: string } = {}): AssignmentSpec {
  const deadline = deadlineIn(options.dueInSeconds ?? 3600);
  const policy = options.policy ?? SECONDS_POLICY;
  const schedule = buildEscalationSchedule(policy, deadline, calendar);
  return {
    id: options.id ?? `${kind}:TEST-${randomUUID().slice(0, 8)}:FT1:UNIT-A`,
    kind,
    planId: 'TEST@v1',
    planNumber: '99-KH/TEST',
    taskCodes: ['FT1'],
    title: `Test ${kind}`,
    leadUnit: 'UNIT-A',
    coordinatingUnits: [],
    deadline,
    schedule,
    escalationPolicy: EscalationPolicySchema.parse(policy),
    noticeUnits: { standingOffice: 'VPTU', standingCommittee: 'TTTU' },
    ...(kind === 'concretisation' ? { mustCite: '99-KH/TEST' } : {}),
    ...(options.chain
      ? {
          approvalChain: [
            { step: 'vptu-review', label: 'Văn phòng thẩm định', unit: 'VPTU', role: 'standing-office' },
            { step: 'sign-off', label: 'Phó Bí thư ký duyệt', unit: 'TTTU', role: 'approver' },
          ],
        }
      : {}),
  };
}

export const actor = (name: string, unit: string, roles: string[]): Actor => ({ userId: `u-${name}`, name, unit, roles });
export const DRAFTER = actor('drafter', 'UNIT-A', ['drafter']);
export const OFFICE = actor('office', 'VPTU', ['standing-office']);
export const DEPUTY = actor('deputy', 'TTTU', ['approver']);
// A colleague in the deputy's unit who is not a drafter-only account (those never act on delegated authority).
export const STAND_IN = actor('stand-in', 'TTTU', ['approver']);
export const OUTSIDER = actor('outsider', 'UNIT-B', ['approver']);
export const today = () => localDate(new Date());
