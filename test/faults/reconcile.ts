import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { WORKFLOW_TYPES, approvalStateQuery, assignmentStateQuery } from '@dieu-hanh/workflows';
import { localiseDates } from '@dieu-hanh/domain';
import type { ApprovalState, AssignmentState } from '@dieu-hanh/domain/assignment';
import { succeeded, type LedgerEntry } from './actions';
import type { ReceivedMail } from '../support/smtp';

export interface Drift {
  workflowId: string;
  field: string;
  workflow: unknown;
  readModel: unknown;
}

export interface Reconciliation {
  assignments: number;
  approvals: number;
  drift: Drift[];
  /** Workflows whose state could not be queried at all. */
  unreadable: string[];
  states: Map<string, AssignmentState | ApprovalState>;
}

async function listIds(client: Client, type: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query: `WorkflowType = '${type}'` })) ids.push(wf.workflowId);
  return [...new Set(ids)];
}

async function queryAll<T>(client: Client, ids: string[], query: typeof assignmentStateQuery | typeof approvalStateQuery, into: Map<string, T>, unreadable: string[]) {
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      try {
        const state = await client.connection.withDeadline(Date.now() + 15_000, () => client.workflow.getHandle(id).query(query as never));
        into.set(id, state as T);
      } catch {
        unreadable.push(id);
      }
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

/**
 * Every workflow's own state (a query) against its read-model row: lifecycle, seq, number of
 * submissions and the open approval for assignments; outcome, seq and number of decisions for
 * approvals. Known workflows come from Temporal's visibility and from the read model, so a row
 * without a workflow and a workflow without a row both count.
 */
export async function reconcileOnce(client: Client, db: Pool): Promise<Reconciliation> {
  const assignmentIds = await listIds(client, WORKFLOW_TYPES.assignment);
  const approvalIds = await listIds(client, WORKFLOW_TYPES.approval);
  const rows = (await db.query(`SELECT id, lifecycle, seq, submission_count, approval_id FROM assignments`)).rows as {
    id: string;
    lifecycle: string;
    seq: number;
    submission_count: number;
    approval_id: string | null;
  }[];
  const approvalRows = (await db.query(`SELECT id, outcome, seq, jsonb_array_length(state->'decisions') AS decisions FROM approvals`)).rows as {
    id: string;
    outcome: string | null;
    seq: number;
    decisions: number;
  }[];
  const states = new Map<string, AssignmentState | ApprovalState>();
  const unreadable: string[] = [];
  const allAssignments = [...new Set([...assignmentIds, ...rows.map((r) => r.id)])];
  const allApprovals = [...new Set([...approvalIds, ...approvalRows.map((r) => r.id)])];
  await queryAll(client, allAssignments, assignmentStateQuery, states, unreadable);
  await queryAll(client, allApprovals, approvalStateQuery, states, unreadable);

  const drift: Drift[] = [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of allAssignments) {
    const s = states.get(id) as AssignmentState | undefined;
    const row = byId.get(id);
    if (!s) continue;
    if (!row) {
      drift.push({ workflowId: id, field: 'row', workflow: 'exists', readModel: 'missing' });
      continue;
    }
    const pairs: [string, unknown, unknown][] = [
      ['lifecycle', s.lifecycle, row.lifecycle],
      ['seq', s.seq, row.seq],
      ['submissions', s.submissions.length, row.submission_count],
      ['approvalId', s.approvalId ?? null, row.approval_id],
    ];
    for (const [field, w, r] of pairs) if (w !== r) drift.push({ workflowId: id, field, workflow: w, readModel: r });
  }
  const approvalById = new Map(approvalRows.map((r) => [r.id, r]));
  for (const id of allApprovals) {
    const s = states.get(id) as ApprovalState | undefined;
    const row = approvalById.get(id);
    if (!s) continue;
    if (!row) {
      drift.push({ workflowId: id, field: 'row', workflow: 'exists', readModel: 'missing' });
      continue;
    }
    const pairs: [string, unknown, unknown][] = [
      ['outcome', s.outcome ?? null, row.outcome],
      ['seq', s.seq, row.seq],
      ['decisions', s.decisions.length, Number(row.decisions)],
    ];
    for (const [field, w, r] of pairs) if (w !== r) drift.push({ workflowId: id, field, workflow: w, readModel: r });
  }
  // A drifting workflow counts once, however many fields differ.
  return { assignments: allAssignments.length, approvals: allApprovals.length, drift, unreadable, states };
}

/** Reconciles until nothing drifts or `settleMs` ran out: the read model follows a moment later by design. */
export async function reconcile(client: Client, db: Pool, settleMs: number): Promise<Reconciliation> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const r = await reconcileOnce(client, db);
    if ((r.drift.length === 0 && r.unreadable.length === 0) || Date.now() > deadline) return r;
    await new Promise((res) => setTimeout(res, 3000));
  }
}

export const driftingWorkflows = (r: Reconciliation) => new Set(r.drift.map((d) => d.workflowId)).size;

export interface LedgerCheck {
  actions: number;
  succeeded: number;
  /** 2xx to the client, no trace in the workflow. */
  lost: LedgerEntry[];
  /** One client action recorded more than once. */
  duplicated: LedgerEntry[];
  /** Not 2xx to the client, yet recorded (the client was told no, or nothing, but it happened). */
  recordedWithoutSuccess: LedgerEntry[];
}

/** Finds each action's unique marker in the state of the workflow it was sent to. */
export function checkLedger(ledger: LedgerEntry[], states: Map<string, unknown>): LedgerCheck {
  const check: LedgerCheck = { actions: ledger.length, succeeded: 0, lost: [], duplicated: [], recordedWithoutSuccess: [] };
  for (const e of ledger) {
    const state = states.get(e.workflowId);
    const occurrences = state === undefined ? 0 : JSON.stringify(state).split(e.marker).length - 1;
    if (succeeded(e)) {
      check.succeeded++;
      if (occurrences === 0) check.lost.push(e);
    } else if (occurrences > 0) {
      check.recordedWithoutSuccess.push(e);
    }
    if (occurrences > 1) check.duplicated.push(e);
  }
  return check;
}

export interface MailCheck {
  mails: number;
  notices: number;
  /** Mails beyond one per (unit, notice): the same notice e-mailed twice. */
  duplicateMails: number;
  /** Notices to units with e-mail addresses that were never e-mailed. */
  unsent: number;
  examples: string[];
}

/**
 * Each notice row (key, unit) must become exactly one e-mail to that unit. Mails are matched to
 * rows by unit, assignment (the link) and subject.
 */
export async function checkMails(db: Pool, mails: ReceivedMail[], unitOfEmail: (e: string) => string | undefined): Promise<MailCheck> {
  const rows = (await db.query(`SELECT key, recipient_unit, assignment_id, subject, emailed_at FROM notifications`)).rows as {
    key: string;
    recipient_unit: string;
    assignment_id: string;
    subject: string;
    emailed_at: Date | null;
  }[];
  const withPeople = new Set(((await db.query(`SELECT DISTINCT unit_code FROM users WHERE email IS NOT NULL AND active`)).rows as { unit_code: string }[]).map((r) => r.unit_code));
  const key = (unit: string, assignment: string, subject: string) => `${unit}\u0000${assignment}\u0000${subject}`;
  const expected = new Map<string, number>();
  let unsent = 0;
  const examples: string[] = [];
  for (const r of rows) {
    if (!withPeople.has(r.recipient_unit)) continue;
    // The e-mail's subject is the notice's with its dates as readers write them (dd/mm/yyyy).
    const k = key(r.recipient_unit, r.assignment_id, localiseDates(r.subject));
    expected.set(k, (expected.get(k) ?? 0) + 1);
    if (!r.emailed_at) {
      unsent++;
      examples.push(`never e-mailed: ${r.key} to ${r.recipient_unit}`);
    }
  }
  const got = new Map<string, number>();
  for (const m of mails) {
    const unit = unitOfEmail(m.to[0] ?? '') ?? '?';
    const link = m.text.match(/\/assignments\/(\S+)/)?.[1];
    const assignment = link ? decodeURIComponent(link) : '?';
    const k = key(unit, assignment, m.subject);
    got.set(k, (got.get(k) ?? 0) + 1);
  }
  let duplicateMails = 0;
  for (const [k, n] of got) {
    const extra = Math.max(0, n - (expected.get(k) ?? 0));
    duplicateMails += extra;
    if (extra) examples.push(`e-mailed ${n}× for ${expected.get(k) ?? 0} notice(s): ${k.split('\u0000').join(' | ')}`);
  }
  return { mails: mails.length, notices: [...expected.values()].reduce((a, b) => a + b, 0), duplicateMails, unsent, examples };
}
