import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { addDays, localDateInVietnam } from '@dieu-hanh/domain';
import {
  initialAssignmentState,
  settledStatus,
  type Actor,
  type ApprovalState,
  type AssignmentKind,
  type AssignmentSpec,
  type AssignmentState,
} from '@dieu-hanh/domain/assignment';

/**
 * A synthetic plan of well over a thousand assignments written straight into the read model
 * (assignments, approvals): the inbox reads nothing else, so browser tests of its filters,
 * counts and paging at real volume need no thousand workflows. Rows are folded the way the
 * projection writes them (state, settled status), with their own unit codes so other tests'
 * inboxes never see them.
 */
export interface SyntheticInbox {
  planKey: string;
  otherPlanKey: string;
  planNumber: string;
  otherPlanNumber: string;
  units: { drafter: string; office: string; board: string };
  /** Every row written, with its state, for expectations computed by the domain function. */
  rows: { id: string; planKey: string; leadUnit: string; kind: AssignmentKind; state: AssignmentState; queue: string }[];
  counts: { todo: number; sentBack: number; submitted: number; extensions: number; difficulties: number; escalated: number };
  sentBackComment: string;
  stepSlaSeconds: number;
}

const KINDS: AssignmentKind[] = ['monthly-report', 'concretisation', 'review', 'propaganda', 'policy-proposal'];

export async function seedSyntheticInbox(db: DataSource, size = { todo: 1100, sentBack: 5, submitted: 60, extensions: 20, difficulties: 10 }): Promise<SyntheticInbox> {
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const units = { drafter: `SYN-${tag}-A`, office: `SYN-${tag}-VP`, board: `SYN-${tag}-TT` };
  const planKey = `SYN-${tag}@v1`;
  const otherPlanKey = `SYN-${tag}-B@v1`;
  const planNumber = `9${tag.slice(0, 2).replace(/\D/g, '1')}-KH/TU`;
  const otherPlanNumber = `1${tag.slice(0, 2).replace(/\D/g, '2')}-KH/TU`;
  const today = localDateInVietnam(new Date());
  const drafter: Actor = { userId: randomUUID(), name: 'Nguyễn Văn Soạn', unit: units.drafter, roles: ['drafter'] };
  const deputy: Actor = { userId: randomUUID(), name: 'Trần Phó Bí Thư', unit: units.board, roles: ['approver'] };
  const stepSlaSeconds = 2 * 86_400 + 4 * 3600;
  const sentBackComment = 'Bổ sung chỉ tiêu cụ thể cho từng xã.';
  const rows: SyntheticInbox['rows'] = [];
  const approvals: ApprovalState[] = [];
  const at = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

  let n = 0;
  const make = (queue: string, kind: AssignmentKind, dueInDays: number, plan = planKey): { spec: AssignmentSpec; state: AssignmentState } => {
    n++;
    const date = addDays(today, dueInDays);
    const deadline = { nominal: date, effective: date, dueAt: `${date}T23:59:59+07:00` };
    const spec: AssignmentSpec = {
      id: `${kind}:${plan}:T${n}:${units.drafter}`,
      kind,
      planId: plan,
      planNumber: plan === planKey ? planNumber : otherPlanNumber,
      taskCodes: [`T${n % 9}`],
      title: `Nhiệm vụ tổng hợp số ${n}`,
      leadUnit: units.drafter,
      coordinatingUnits: [],
      deadline,
      schedule: [],
      noticeUnits: { standingOffice: units.office, standingCommittee: units.board },
      ...(kind === 'drafting' ? { approvalChain: [{ step: 'sign-off', label: 'Thường trực Tỉnh ủy ký duyệt', unit: units.board, role: 'approver', slaSeconds: stepSlaSeconds }] } : {}),
    };
    return { spec, state: initialAssignmentState(spec) };
  };
  const push = (queue: string, spec: AssignmentSpec, state: AssignmentState) => rows.push({ id: spec.id, planKey: spec.planId, leadUnit: spec.leadUnit, kind: spec.kind, state, queue });
  const specs = new Map<string, AssignmentSpec>();
  const add = (queue: string, spec: AssignmentSpec, state: AssignmentState) => {
    specs.set(spec.id, spec);
    push(queue, spec, state);
  };

  // To do: deadlines from 60 days ago to two years ahead, so every status and many periods occur.
  for (let i = 0; i < size.todo; i++) {
    const { spec, state } = make('todo', KINDS[i % KINDS.length], -60 + (i % 790), i % 10 === 9 ? otherPlanKey : planKey);
    add('todo', spec, { ...state, escalationLevel: i % 790 < 60 ? 1 + (i % 3) : 0 });
  }
  for (let i = 0; i < size.sentBack; i++) {
    const { spec, state } = make('sent-back', 'drafting', 10 + i);
    const v1 = { version: 1, text: 'Dự thảo 1', attachments: [], by: drafter, at: at(-5), outcome: 'request-changes' as const, comment: `${sentBackComment} (${i + 1})`, decidedBy: deputy };
    add('sent-back', spec, { ...state, requiresApproval: true, submissions: [v1], lastEventAt: at(-2) });
  }
  for (let i = 0; i < size.submitted; i++) {
    const { spec, state } = make('submitted', 'drafting', 5 + i);
    const approvalId = `approval:${spec.id}:v1`;
    const v1 = { version: 1, text: 'Dự thảo 1', attachments: [], by: drafter, at: at(-1 - (i % 4)) };
    add('submitted', spec, { ...state, requiresApproval: true, lifecycle: 'awaiting-approval', submissions: [v1], approvalId });
    approvals.push({ approvalId, assignmentId: spec.id, version: 1, chain: spec.approvalChain!, stepIndex: 0, decisions: [], seq: 1 });
  }
  for (let i = 0; i < size.extensions; i++) {
    const { spec, state } = make('extensions', 'concretisation', 3 + i);
    const ext = { requestId: randomUUID(), reason: 'Chờ số liệu thống kê quý', proposedDate: addDays(today, 40 + i), requestedBy: drafter, requestedAt: at(-1), status: 'pending' as const };
    add('extensions', spec, { ...state, extensions: [ext] });
  }
  for (let i = 0; i < size.difficulties; i++) {
    const { spec, state } = make('difficulties', 'monthly-report', -20 + i);
    const v1 = { version: 1, text: 'Báo cáo tháng', attachments: [], by: drafter, at: at(-3), difficulties: `Thiếu kinh phí triển khai ở huyện ${i + 1}.` };
    add('difficulties', spec, { ...state, lifecycle: 'done', submissions: [v1], completedAt: v1.at });
  }

  for (let i = 0; i < rows.length; i += 250) {
    const batch = rows.slice(i, i + 250);
    const values: unknown[] = [];
    const tuples = batch.map((r, j) => {
      const spec = specs.get(r.id)!;
      const s = r.state;
      values.push(
        r.id, r.planKey, r.kind, spec.taskCodes, r.leadUnit, [], spec.title, s.lifecycle, s.deadline.nominal, s.deadline.effective, s.deadline.dueAt, s.deadline.dueAt,
        s.escalationLevel, s.submissions.length, s.approvalId ?? null, s.submissions[0]?.at ?? null, s.completedAt ?? null, 1, JSON.stringify(spec), JSON.stringify(s), settledStatus(s),
      );
      const p = (k: number) => `$${j * 21 + k}`;
      return `(${Array.from({ length: 21 }, (_, k) => p(k + 1)).join(',')}, now())`;
    });
    await db.query(
      `INSERT INTO assignments (id, plan_key, kind, task_codes, lead_unit, coordinating_units, title, lifecycle, nominal_deadline, effective_deadline, due_at,
         original_due_at, escalation_level, submission_count, approval_id, first_submitted_at, completed_at, seq, spec, state, status_settled, updated_at)
       VALUES ${tuples.join(',')}`,
      values,
    );
  }
  for (const a of approvals) {
    await db.query(
      `INSERT INTO approvals (id, assignment_id, plan_key, lead_unit, version, current_step, step_unit, step_role, outcome, seq, state, updated_at)
       VALUES ($1,$2,$3,$4,1,$5,$6,$7,NULL,1,$8, now())`,
      [a.approvalId, a.assignmentId, planKey, units.drafter, a.chain[0].step, a.chain[0].unit, a.chain[0].role, JSON.stringify(a)],
    );
  }
  const count = (q: string) => rows.filter((r) => r.queue === q).length;
  return {
    planKey,
    otherPlanKey,
    planNumber,
    otherPlanNumber,
    units,
    rows,
    counts: {
      todo: count('todo') + count('extensions'),
      sentBack: count('sent-back'),
      submitted: count('submitted'),
      extensions: count('extensions'),
      difficulties: count('difficulties'),
      escalated: rows.filter((r) => r.state.lifecycle === 'open' && r.state.escalationLevel > 0).length,
    },
    sentBackComment,
    stepSlaSeconds,
  };
}

/**
 * Notices for the synthetic plan, written as the worker writes them: `forAll` to everyone in
 * the drafter's unit, `forHeads` to its unit heads only; texts carry ISO dates as the
 * workflows write them today.
 */
export async function seedSyntheticNotices(db: DataSource, seed: SyntheticInbox, forAll: number, forHeads: number): Promise<{ forAll: number; forHeads: number }> {
  const targets = seed.rows.filter((r) => r.queue === 'todo').slice(0, forAll + forHeads);
  for (const [i, row] of targets.entries()) {
    const heads = i >= forAll;
    await db.query(
      `INSERT INTO notifications (key, recipient_unit, recipient_roles, assignment_id, plan_key, kind, level, subject, body, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9, now() - ($10 || ' minutes')::interval)`,
      [
        `${row.id}:synthetic:${i}`,
        seed.units.drafter,
        heads ? ['unit-head'] : [],
        row.id,
        row.planKey,
        heads ? 'escalation' : 'reminder',
        heads ? 1 : 0,
        heads ? `Quá hạn: Nhiệm vụ số ${i}` : `Nhắc hạn: Nhiệm vụ số ${i}`,
        `Hạn ${row.state.deadline.effective}; cập nhật lúc ${new Date(Date.now() - i * 60_000).toISOString()}.`,
        String(i),
      ],
    );
  }
  return { forAll, forHeads };
}
