import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { approvalStateQuery, assignmentStateQuery } from '@dieu-hanh/workflows';
import type { ApprovalState, AssignmentSpec, AssignmentState } from '@dieu-hanh/domain/assignment';
import { request, type HttpResult } from './http-client';
import type { People, Person } from './people';

export type ActionKind = 'submit' | 'decide' | 'request-extension' | 'decide-extension';

export interface Attempt {
  at: number;
  status: number;
  ms: number;
  error?: string;
}

/** One thing a person did through the API, with every attempt the client made. */
export interface LedgerEntry {
  id: string;
  kind: ActionKind;
  phase: string;
  assignmentId: string;
  /** Where the effect must show: the assignment, or the approval for a decision. */
  workflowId: string;
  /** Unique text carried in the request (draft text, comment, reason): finds the effect. */
  marker: string;
  idempotencyKey: string;
  attempts: Attempt[];
  finalStatus: number;
  // The final answer's body, read field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  finalBody: any;
  startedAt: number;
  endedAt: number;
}

export const succeeded = (e: LedgerEntry) => e.finalStatus >= 200 && e.finalStatus < 300;

export interface DriverOptions {
  baseUrl: () => string;
  client: () => Client;
  people: People;
  specs: Map<string, AssignmentSpec>;
  ledger: LedgerEntry[];
}

/** Longer than the API's stale-claim takeover (IDEMPOTENCY_STALE_SECONDS, 120 s) plus its wait. */
const IN_PROGRESS_PATIENCE_MS = 180_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const hashOf = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

/**
 * Acts as the people of the plan would: looks at an assignment's live state (a workflow query)
 * and does the next thing a person would do to it, through the HTTP API, with an
 * Idempotency-Key, retrying with the same key while the answer is missing or a 5xx/429.
 */
export class Driver {
  constructor(private readonly o: DriverOptions) {}

  /** Units that ask for an extension before submitting (about a third), fixed per assignment. */
  wantsExtension(assignmentId: string): boolean {
    return hashOf(assignmentId) % 3 === 0;
  }

  async assignmentState(id: string): Promise<AssignmentState> {
    const client = this.o.client();
    return client.connection.withDeadline(Date.now() + 8000, () => client.workflow.getHandle(id).query(assignmentStateQuery));
  }

  async approvalState(id: string): Promise<ApprovalState> {
    const client = this.o.client();
    return client.connection.withDeadline(Date.now() + 8000, () => client.workflow.getHandle(id).query(approvalStateQuery));
  }

  /**
   * Does the next step on `assignmentId`; undefined when it is final or its state could not be
   * read (Temporal or every worker down: the caller tries again later).
   */
  async step(assignmentId: string, phase: string, retryForMs = 120_000): Promise<LedgerEntry | undefined> {
    let state: AssignmentState;
    try {
      state = await this.assignmentState(assignmentId);
    } catch {
      return undefined;
    }
    const spec = this.o.specs.get(assignmentId)!;
    const lead = this.o.people.byUnit.get(spec.leadUnit)!;
    const office = this.o.people.office;
    const marker = `[fa:${randomUUID()}]`;
    const pending = state.extensions.find((x) => x.status === 'pending');
    if (state.lifecycle === 'done' || state.lifecycle === 'rejected' || state.lifecycle === 'cancelled') return undefined;

    if (pending) {
      const granted = hashOf(pending.requestId) % 2 === 0;
      return this.perform(phase, 'decide-extension', assignmentId, assignmentId, marker, office, 'POST', `/api/extension-requests/${encodeURIComponent(pending.requestId)}/decision`, {
        granted,
        comment: `${granted ? 'Đồng ý gia hạn' : 'Không đồng ý gia hạn'} ${marker}`,
      }, retryForMs);
    }
    if (state.lifecycle === 'awaiting-approval' && state.approvalId) {
      let approval: ApprovalState;
      try {
        approval = await this.approvalState(state.approvalId);
      } catch {
        return undefined;
      }
      if (approval.outcome) return undefined; // closing; the assignment moves on in a moment
      const step = approval.chain[approval.stepIndex]!;
      const last = approval.stepIndex === approval.chain.length - 1;
      const decision = last && approval.version % 2 === 1 ? 'request-changes' : 'approve';
      const who = step.unit === this.o.people.deputy.unit ? this.o.people.deputy : office;
      return this.perform(phase, 'decide', assignmentId, state.approvalId, marker, who, 'POST', `/api/approvals/${encodeURIComponent(state.approvalId)}/decision`, {
        version: approval.version,
        step: step.step,
        decision,
        comment: `${decision === 'approve' ? 'Đồng ý' : 'Đề nghị chỉnh sửa mục 2'} ${marker}`,
      }, retryForMs);
    }
    if (state.lifecycle !== 'open') return undefined;
    if (this.wantsExtension(assignmentId) && state.extensions.length === 0) {
      return this.perform(phase, 'request-extension', assignmentId, assignmentId, marker, lead, 'POST', `/api/assignments/${encodeURIComponent(assignmentId)}/extension-requests`, {
        reason: `Cần thêm thời gian lấy ý kiến các đơn vị phối hợp ${marker}`,
        proposedDate: addDays(state.deadline.effective, 14),
      }, retryForMs);
    }
    const version = state.submissions.length + 1;
    const body: Record<string, unknown> = {
      version,
      text: `Phiên bản ${version}: nội dung kế hoạch của ${spec.leadUnit}. ${marker}`,
      attachments: [{ name: `ke-hoach-v${version}.docx`, ref: `vbdh://faults/${version}` }],
    };
    if (spec.mustCite) body.cites = spec.mustCite;
    const endpoint = spec.kind === 'drafting' ? 'drafts' : 'reports';
    return this.perform(phase, 'submit', assignmentId, assignmentId, marker, lead, 'POST', `/api/assignments/${encodeURIComponent(assignmentId)}/${endpoint}`, body, retryForMs);
  }

  private async perform(
    phase: string,
    kind: ActionKind,
    assignmentId: string,
    workflowId: string,
    marker: string,
    who: Person,
    method: string,
    path: string,
    body: unknown,
    retryForMs: number,
  ): Promise<LedgerEntry> {
    const entry: LedgerEntry = {
      id: randomUUID(),
      kind,
      phase,
      assignmentId,
      workflowId,
      marker,
      idempotencyKey: randomUUID(),
      attempts: [],
      finalStatus: 0,
      finalBody: undefined,
      startedAt: Date.now(),
      endedAt: 0,
    };
    this.o.ledger.push(entry);
    const giveUpAt = Date.now() + retryForMs;
    let res: HttpResult;
    for (let n = 0; ; n++) {
      res = await request(this.o.baseUrl(), {
        method,
        path,
        body,
        token: who.token,
        localAddress: who.address,
        headers: { 'idempotency-key': entry.idempotencyKey },
        timeoutMs: 30_000,
      });
      entry.attempts.push({ at: Date.now(), status: res.status, ms: res.ms, error: res.error });
      // 409 IDEMPOTENCY_IN_PROGRESS: an earlier attempt with this key still holds it (or died
      // holding it: it is taken over after IDEMPOTENCY_STALE_SECONDS); the answer says retry later.
      const inProgress = res.status === 409 && res.body?.reason === 'IDEMPOTENCY_IN_PROGRESS';
      const retry = res.status === 0 || res.status >= 500 || res.status === 429 || inProgress;
      if (!retry || Date.now() > (inProgress ? Math.max(giveUpAt, entry.startedAt + IN_PROGRESS_PATIENCE_MS) : giveUpAt)) break;
      await sleep(Math.min(5000, 500 * 2 ** n));
    }
    entry.finalStatus = res.status;
    entry.finalBody = res.body;
    entry.endedAt = Date.now();
    return entry;
  }
}

/**
 * Runs `concurrency` people at once on the given assignments until `until()` says stop: each
 * takes an assignment nobody else is on and does its next step.
 */
export async function drive(driver: Driver, ids: string[], phase: string, concurrency: number, until: () => boolean, retryForMs?: number): Promise<number> {
  const busy = new Set<string>();
  let done = 0;
  let cursor = Math.floor(Math.random() * ids.length);
  const loop = async () => {
    let idle = 0;
    while (!until()) {
      let id: string | undefined;
      for (let i = 0; i < ids.length && !id; i++) {
        const candidate = ids[(cursor + i) % ids.length]!;
        if (!busy.has(candidate)) id = candidate;
      }
      cursor = (cursor + 7) % Math.max(1, ids.length);
      if (!id) {
        await sleep(200);
        continue;
      }
      busy.add(id);
      try {
        const entry = await driver.step(id, phase, retryForMs);
        if (entry) {
          done++;
          idle = 0;
        } else if (++idle > ids.length) {
          await sleep(500);
        }
      } finally {
        busy.delete(id);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return done;
}
