import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import { describePerson, type StateAtEvent, type TimelineEntry } from '@dieu-hanh/domain/audit';
import type { AssignmentState } from '@dieu-hanh/domain/assignment';
import { AppError, AppErrorCode } from '../../common/app-error';
import { ApprovalEntity, AssignmentEntity, AuditRefusalsStore, DelegationEntity, PlanVersionEntity, UserEntity, type RefusalRow } from '@dieu-hanh/persistence';
import { AuditService } from '../../audit/audit.service';
import { localToday } from '../../approvals/approvals.service';
import { AppConfig } from '../../infra/infra.module';
import type { Lang, Translate } from '../i18n/i18n';
import { STATUS_LABELS, assignmentStatus, createWorkingCalendar, type StatusCode } from '@dieu-hanh/domain';

export interface PlanRow {
  id: string;
  code: string;
  key: string;
  title: string;
  launchedAt: Date | null;
  workflowId: string | null;
}

export interface PlanWorkflowRow {
  assignment: AssignmentEntity;
  approvals: ApprovalEntity[];
}

/** A delegation in force today, with both people named. */
export interface DelegationView {
  from: { name: string; unit: string; position: string | null };
  to: { name: string; unit: string; position: string | null };
  validFrom: string;
  validTo: string;
  reason: string;
}

/** One timeline entry as the page shows it (the text in the page's language). */
export interface EntryView {
  entry: TimelineEntry;
  text: string;
  who?: string;
  onBehalfOf?: string;
  /** `?at=` value that shows the state after this entry's event (in `base`'s workflow). */
  at: string;
  /** The page of the workflow the entry's event belongs to: an assignment's timeline also tells its approvals'. */
  base: string;
  /** Whether the event is in this page's own workflow (only those can be picked for "state at"). */
  own: boolean;
}

/** What the "state at an event" panel shows. */
export interface StateView {
  kind: StateAtEvent['kind'];
  eventId: number;
  runId?: string;
  at?: string;
  assignment?: {
    lifecycle: string;
    status: { code: StatusCode; label: string };
    version: number | null;
    approvals: { version: number; outcome: string; by: string; onBehalfOf?: string; comment?: string; at?: string }[];
    nominal: string;
    effective: string;
    original: string;
    escalationLevel: number;
    pendingExtension?: { date: string; by: string; reason: string };
  };
  /** Other kinds: the reducer's state as JSON (approval, plan, monthly report). */
  raw?: string;
}

/** `?at=12` or `?at=12:<runId>` (a continued-as-new chain has one numbering per run). */
export function parseAt(at: unknown): { eventId: number; runId?: string } | undefined {
  if (typeof at !== 'string' || at === '') return undefined;
  const m = at.match(/^(\d{1,9})(?::([\w-]{1,100}))?$/);
  if (!m || Number(m[1]) < 1) return undefined;
  return { eventId: Number(m[1]), runId: m[2] };
}

/**
 * The read side of the auditor pages: plans and their workflows from the read model,
 * delegations in force, refused attempts, and the backend's timelines and states turned
 * into what the templates show.
 */
const AUDIT_CALENDAR = createWorkingCalendar();

@Injectable()
export class AuditPagesService {
  private readonly refusalsStore: AuditRefusalsStore;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.refusalsStore = new AuditRefusalsStore(db);
  }

  async plans(): Promise<PlanRow[]> {
    const rows = await this.db.getRepository(PlanVersionEntity).find({ order: { importedAt: 'DESC' } });
    return rows.map((p) => ({ id: p.id, code: p.code, key: p.key, title: p.title, launchedAt: p.launchedAt, workflowId: p.workflowId }));
  }

  /** A plan by key (`CODE@v1`) or code (its latest version). */
  async plan(codeOrKey: string): Promise<PlanRow | undefined> {
    const repo = this.db.getRepository(PlanVersionEntity);
    const row = (await repo.findOneBy({ key: codeOrKey })) ?? (await repo.findOne({ where: { code: codeOrKey }, order: { version: 'DESC' } }));
    return row ? { id: row.id, code: row.code, key: row.key, title: row.title, launchedAt: row.launchedAt, workflowId: row.workflowId } : undefined;
  }

  async planWorkflows(planKey: string): Promise<PlanWorkflowRow[]> {
    const assignments = await this.db.getRepository(AssignmentEntity).find({ where: { planKey }, order: { id: 'ASC' } });
    const approvals = await this.db.getRepository(ApprovalEntity).find({ where: { planKey }, order: { id: 'ASC' } });
    return assignments.map((assignment) => ({ assignment, approvals: approvals.filter((a) => a.assignmentId === assignment.id) }));
  }

  /** Every workflow id of an assignment: itself and its approvals, oldest version first. */
  async assignmentWorkflowIds(assignmentId: string): Promise<string[]> {
    const approvals = await this.db.getRepository(ApprovalEntity).find({ where: { assignmentId }, order: { version: 'ASC' } });
    return [assignmentId, ...approvals.map((a) => a.id)];
  }

  /** Every workflow id of a plan: the plan's own, each assignment's, each approval's. */
  async planWorkflowIds(plan: PlanRow): Promise<string[]> {
    const rows = await this.planWorkflows(plan.key);
    return [...(plan.workflowId ? [plan.workflowId] : []), ...rows.flatMap((r) => [r.assignment.id, ...r.approvals.map((a) => a.id)])];
  }

  /** Where the search box goes: a workflow's timeline, a plan's list, or nowhere. */
  async find(q: string): Promise<{ workflowId: string } | { planKey: string } | undefined> {
    const id = q.trim();
    if (!id) return undefined;
    if (await this.db.getRepository(AssignmentEntity).existsBy({ id })) return { workflowId: id };
    if (await this.db.getRepository(ApprovalEntity).existsBy({ id })) return { workflowId: id };
    const plan = (await this.plan(id)) ?? (id.startsWith('plan:') ? await this.plan(id.slice(5)) : undefined);
    if (plan) return id.startsWith('plan:') ? { workflowId: id } : { planKey: plan.key };
    try {
      // Not in the read model: a workflow still on the server or only in the archive.
      await this.audit.history(id);
      return { workflowId: id };
    } catch {
      return undefined;
    }
  }

  async delegationsInForce(today = localToday()): Promise<DelegationView[]> {
    const rows = await this.db.getRepository(DelegationEntity).find({
      where: { validFrom: LessThanOrEqual(today), validTo: MoreThanOrEqual(today) },
      order: { validFrom: 'ASC' },
    });
    if (rows.length === 0) return [];
    const users = await this.db.getRepository(UserEntity).findBy({ id: In([...new Set(rows.flatMap((d) => [d.fromUserId, d.toUserId]))]) });
    const byId = new Map(users.map((u) => [u.id, u]));
    const person = (id: string) => {
      const u = byId.get(id);
      return { name: u?.displayName ?? id, unit: u?.unitCode ?? '', position: u?.position ?? null };
    };
    return rows.map((d) => ({ from: person(d.fromUserId), to: person(d.toUserId), validFrom: d.validFrom, validTo: d.validTo, reason: d.reason }));
  }

  recentRefusals(limit = 50): Promise<RefusalRow[]> {
    return this.refusalsStore.list({ limit });
  }

  /** The Temporal web UI's page of a workflow (its latest run). */
  temporalUrl(workflowId: string): string {
    const { TEMPORAL_UI_URL, TEMPORAL_NAMESPACE } = this.config.values;
    return `${TEMPORAL_UI_URL.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`;
  }

  entryViews(workflowId: string, entries: TimelineEntry[], lang: Lang, multiRun: boolean): EntryView[] {
    return entries.map((entry) => {
      const own = entry.workflowId === workflowId;
      return {
        entry,
        text: entry.text[lang],
        who: entry.actor ? describePerson(entry.actor) : undefined,
        onBehalfOf: entry.onBehalfOf ? describePerson(entry.onBehalfOf) : undefined,
        // Another workflow's run count is not known here, so its link always names the run.
        at: own && !multiRun ? String(entry.eventId) : `${entry.eventId}:${entry.runId}`,
        base: `/audit/workflows/${encodeURIComponent(entry.workflowId)}`,
        own,
      };
    });
  }

  /** The state after an event, in the words and dates the page shows. */
  stateView(state: StateAtEvent, lang: Lang, t: Translate, at?: string, runId?: string): StateView {
    if (state.kind !== 'assignment') return { kind: state.kind, eventId: state.eventId, runId, at, raw: JSON.stringify(state.state, null, 2) };
    const s: AssignmentState = state.state;
    const who = (a: { name: string; unit: string } | undefined) => (a ? `${a.name} (${a.unit})` : '');
    // The same status rule as every page (the domain's assignmentStatus), classified at the moment of the event.
    const code = assignmentStatus(s, at ?? new Date(), AUDIT_CALENDAR);
    const pending = s.extensions.find((x) => x.status === 'pending');
    return {
      kind: 'assignment',
      eventId: state.eventId,
      runId,
      at,
      assignment: {
        lifecycle: t(`audit.lifecycle.${s.lifecycle}`),
        status: { code, label: STATUS_LABELS[code][lang] },
        version: s.submissions.at(-1)?.version ?? null,
        approvals: s.submissions
          .filter((x) => x.outcome)
          .map((x) => ({ version: x.version, outcome: t(`decision.${x.outcome!}` as never), by: who(x.decidedBy), onBehalfOf: x.onBehalfOf ? who(x.onBehalfOf) : undefined, comment: x.comment })),
        nominal: s.deadline.nominal,
        effective: s.deadline.effective,
        original: s.originalDeadline.effective,
        escalationLevel: s.escalationLevel,
        pendingExtension: pending ? { date: pending.proposedDate, by: who(pending.requestedBy), reason: pending.reason } : undefined,
      },
    };
  }

  /** The raw history event (as the CLI writes it) of a workflow's run. */
  async rawEvent(workflowId: string, eventId: number, runId?: string): Promise<{ runId: string; event: unknown }> {
    const chain = await this.audit.history(workflowId);
    const run = runId ? chain.runs.find((r) => r.runId === runId) : chain.runs.at(-1);
    const event = run?.history.events.find((e) => Number(e.eventId) === eventId);
    if (!run || !event) throw new AppError(AppErrorCode.NOT_FOUND, `${workflowId} has no event ${eventId}${runId ? ` in run ${runId}` : ''}`);
    return { runId: run.runId, event };
  }
}
