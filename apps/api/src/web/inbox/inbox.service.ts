import { Inject, Injectable } from '@nestjs/common';
import { Brackets, DataSource, In, type SelectQueryBuilder } from 'typeorm';
import { createWorkingCalendar, statusClock, statusSql, statusSqlFilter, statusSqlParams } from '@dieu-hanh/domain';
import { ApprovalEntity, AssignmentEntity } from '@dieu-hanh/persistence';
import { unitAccessSql } from '@dieu-hanh/domain/assignment';
import { DelegationsService } from '../../delegations/delegations.service';
import { DECIDING_ROLES, seesAllUnits } from '../../auth/access-policy';
import { ASSIGNMENT_STATUS_COLUMNS } from '../../assignments/assignments.service';
import type { CurrentUser } from '../../auth/current-user';
import type { InboxFilters, InboxQuery, QueueId } from './inbox-query.form';

const SUBMITS = ['drafter', 'unit-head'];

/** The queues a person's roles give them, in the order the page shows them. */
export function queuesFor(user: CurrentUser): QueueId[] {
  const has = (roles: string[]) => user.roles.some((r) => roles.includes(r));
  const queues: QueueId[] = [];
  // The body a report goes to answers its difficulties (III.6): they wait in its inbox until answered.
  if (has(['approver', 'standing-office'])) queues.push('approvals', 'received', 'difficulties');
  if (has(SUBMITS)) queues.push('todo', 'sent-back', 'submitted');
  // A unit head decides the step of their own unit's drafts (the plan's unitHeadReview); after their unit's own queues.
  if (has(['unit-head']) && !queues.includes('approvals')) queues.push('approvals');
  if (has(['unit-head'])) queues.push('unit-escalated');
  // Xin ý kiến: requests from lead units waiting for this person's unit to comment (phối hợp).
  if (has(SUBMITS)) queues.push('comments');
  if (has(['standing-office'])) queues.push('extensions', 'escalations');
  if (has(['auditor']) || (queues.length === 0 && seesAllUnits(user))) queues.push('all');
  return queues;
}

export interface InboxApproval {
  approval: ApprovalEntity;
  /** True when the person acts on a delegation rather than holding the step themselves. */
  delegated: boolean;
}

export interface InboxPage {
  total: number;
  rows: AssignmentEntity[];
  /** For the approvals queue: the open approval of each row, by assignment id. */
  approvals: Map<string, InboxApproval>;
  /** Every row's open approval (whoever holds its step), by assignment id: who the row waits on. */
  open: Map<string, ApprovalEntity>;
}

export interface FilterOptions {
  plans: { key: string; number: string }[];
  units: string[];
  periods: string[];
}

const lastSubmission = `(a.state->'submissions'->-1)`;
const SENT_BACK = `(a.lifecycle = 'open' AND coalesce(${lastSubmission}->>'outcome', '') = 'request-changes')`;
/** A submission whose difficulties wait for an answer (the SQL of the domain's unansweredDifficulty). */
const UNANSWERED_DIFFICULTY = `EXISTS (SELECT 1 FROM jsonb_array_elements(a.state->'submissions') s WHERE btrim(coalesce(s->>'difficulties', '')) <> '' AND NOT s ? 'difficultyAnswer' AND NOT s ? 'difficultyClosedAt')`;
/** Most urgent first when sorting by status. */
const STATUS_RANK = `array_position(ARRAY['overdue','due-soon','not-due','rejected','done-late','done-on-time','cancelled']::text[], ${statusSql(ASSIGNMENT_STATUS_COLUMNS)})`;

const calendar = createWorkingCalendar();

/**
 * What waits on a person, by queue, from the read model only: each queue is a SQL condition
 * on `assignments` (and `approvals` for decisions), so counts, filters, sorting and paging
 * happen in PostgreSQL whatever the volume. Status uses the domain's one definition.
 */
@Injectable()
export class InboxService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(DelegationsService) private readonly delegations: DelegationsService,
  ) {}

  async counts(user: CurrentUser, queues: QueueId[]): Promise<Record<string, number>> {
    const held = await this.held(user);
    const counts: Record<string, number> = {};
    for (const queue of queues) counts[queue] = await this.base(user, queue, held).getCount();
    return counts;
  }

  async page(user: CurrentUser, q: InboxQuery, now = new Date()): Promise<InboxPage> {
    const held = await this.held(user);
    const qb = this.base(user, q.queue, held);
    this.filter(qb, q, now);
    // Grouped by plan: the plan first, then the order asked for.
    qb.orderBy('a.plan_key', 'ASC');
    if (q.sort === 'status') qb.addOrderBy(STATUS_RANK, 'ASC').setParameters(statusSqlParams(statusClock(now, calendar)));
    else if (q.sort === 'unit') qb.addOrderBy('a.lead_unit', 'ASC');
    else if (q.sort === '-updated') qb.addOrderBy('a.updated_at', 'DESC');
    qb.addOrderBy('a.due_at', q.sort === '-deadline' ? 'DESC' : 'ASC').addOrderBy('a.id', 'ASC');
    const [rows, total] = await qb.offset((q.page - 1) * q.pageSize).limit(q.pageSize).getManyAndCount();
    const open = await this.openOf(rows);
    return { total, rows, approvals: q.queue === 'approvals' ? this.heldApprovals(user, open, held) : new Map(), open };
  }

  /** The plans, units and periods present in a queue, for the filter form's choices. */
  async options(user: CurrentUser, queue: QueueId): Promise<FilterOptions> {
    const held = await this.held(user);
    const distinct = async (expr: string) =>
      ((await this.base(user, queue, held).select(expr, 'v').distinct(true).orderBy('v', 'ASC').limit(500).getRawMany()) as { v: string }[]).map((r) => r.v);
    const plans = (await this.base(user, queue, held)
      .select('a.plan_key', 'key')
      .addSelect(`a.spec->>'planNumber'`, 'number')
      .distinct(true)
      .orderBy('key', 'ASC')
      .limit(200)
      .getRawMany()) as { key: string; number: string }[];
    return { plans, units: await distinct('a.lead_unit'), periods: await distinct(`to_char(a.effective_deadline, 'YYYY-MM')`) };
  }

  /** Units and roles whose approval steps the person may decide today: their own, and those lent to them. */
  private async held(user: CurrentUser): Promise<{ unit: string; roles: string[] }[]> {
    if (!user.roles.some((r) => DECIDING_ROLES.includes(r))) return [];
    const givers = await this.delegations.giversInForce(user);
    return [{ unit: user.unit, roles: user.roles as string[] }, ...givers.map((g) => ({ unit: g.unit, roles: g.roles }))];
  }

  private base(user: CurrentUser, queue: QueueId, held: { unit: string; roles: string[] }[]): SelectQueryBuilder<AssignmentEntity> {
    const qb = this.db.getRepository(AssignmentEntity).createQueryBuilder('a');
    const own = { ownUnit: user.unit };
    switch (queue) {
      case 'todo':
        return qb.where(`a.lead_unit = :ownUnit AND a.lifecycle = 'open' AND NOT ${SENT_BACK}`, own);
      case 'sent-back':
        return qb.where(`a.lead_unit = :ownUnit AND ${SENT_BACK}`, own);
      case 'submitted':
        return qb.where(`a.lead_unit = :ownUnit AND a.lifecycle = 'awaiting-approval'`, own);
      case 'unit-escalated':
        return qb.where(`a.lead_unit = :ownUnit AND a.lifecycle = 'open' AND a.escalation_level > 0`, own);
      case 'approvals': {
        if (held.length === 0) return qb.where('FALSE');
        const holds = held.map((_, i) => `(ap.step_unit = :heldUnit${i} AND ap.step_role = ANY(:heldRoles${i}))`).join(' OR ');
        const params = Object.fromEntries(held.flatMap((h, i) => [[`heldUnit${i}`, h.unit], [`heldRoles${i}`, h.roles]]));
        return qb.where(`EXISTS (SELECT 1 FROM approvals ap WHERE ap.assignment_id = a.id AND ap.outcome IS NULL AND ap.current_step IS NOT NULL AND (${holds}))`, params);
      }
      // Work submitted to the person's unit (the plan's submitTo, e.g. III.6 reports to Thường trực Tỉnh ủy).
      case 'received':
        return qb.where(`a.spec->>'submitTo' = :ownUnit AND a.first_submitted_at IS NOT NULL`, own);
      // The Standing Office's queues: the plans whose Standing Office is the person's unit.
      case 'extensions':
        return qb.where(`a.spec->'noticeUnits'->>'standingOffice' = :ownUnit AND a.state->'extensions' @> '[{"status":"pending"}]'::jsonb`, own);
      // Reported difficulties not yet answered, for the Standing Office and the body the report went to.
      case 'difficulties':
        return qb.where(
          `(a.spec->'noticeUnits'->>'standingOffice' = :ownUnit OR a.spec->>'submitTo' = :ownUnit) AND a.lifecycle <> 'cancelled' AND ${UNANSWERED_DIFFICULTY}`,
          own,
        );
      case 'escalations':
        return qb.where(`a.spec->'noticeUnits'->>'standingOffice' = :ownUnit AND a.lifecycle = 'open' AND a.escalation_level > 0`, own);
      // The one wait shape (state.waits): a comment wait on the person's unit, not yet answered, the assignment not closed.
      case 'comments':
        return qb.where(
          `a.lifecycle IN ('open', 'awaiting-approval') AND EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(a.state->'waits', '[]'::jsonb)) w WHERE w->>'kind' = 'coordination-comment' AND w->>'unit' = :ownUnit AND w->>'closedAt' IS NULL)`,
          own,
        );
      case 'all':
        return seesAllUnits(user) ? qb.where('TRUE') : qb.where(unitAccessSql('a', 'ownUnit'), own);
    }
  }

  private filter(qb: SelectQueryBuilder<AssignmentEntity>, f: InboxFilters, now: Date): void {
    qb.andWhere(
      new Brackets((w) => {
        w.where('TRUE');
        if (f.plan) w.andWhere('a.plan_key = :fPlan', { fPlan: f.plan });
        if (f.kind) w.andWhere('a.kind = :fKind', { fKind: f.kind });
        if (f.unit) w.andWhere('a.lead_unit = :fUnit', { fUnit: f.unit });
        if (f.period) w.andWhere(`to_char(a.effective_deadline, 'YYYY-MM') = :fPeriod`, { fPeriod: f.period });
        if (f.status) w.andWhere(statusSqlFilter([f.status], ASSIGNMENT_STATUS_COLUMNS), statusSqlParams(statusClock(now, calendar)));
      }),
    );
  }

  /** The open approval of each row, by assignment id (one query for the page). */
  private async openOf(rows: AssignmentEntity[]): Promise<Map<string, ApprovalEntity>> {
    const ids = rows.flatMap((r) => (r.approvalId ? [r.approvalId] : []));
    if (ids.length === 0) return new Map();
    const approvals = await this.db.getRepository(ApprovalEntity).findBy({ id: In(ids) });
    return new Map(approvals.filter((a) => a.outcome === null && a.currentStep !== null).map((a) => [a.assignmentId, a]));
  }

  private heldApprovals(user: CurrentUser, open: Map<string, ApprovalEntity>, held: { unit: string; roles: string[] }[]): Map<string, InboxApproval> {
    const map = new Map<string, InboxApproval>();
    for (const approval of open.values()) {
      if (!held.some((h) => h.unit === approval.currentUnit && h.roles.includes(approval.currentRole ?? ''))) continue;
      const delegated = !(approval.currentUnit === user.unit && user.roles.includes(approval.currentRole as never));
      map.set(approval.assignmentId, { approval, delegated });
    }
    return map;
  }
}
