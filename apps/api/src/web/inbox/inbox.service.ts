import { Inject, Injectable } from '@nestjs/common';
import { Brackets, DataSource, In, type SelectQueryBuilder } from 'typeorm';
import { createWorkingCalendar, statusClock, statusSql, statusSqlFilter, statusSqlParams } from '@dieu-hanh/domain';
import { ApprovalEntity, AssignmentEntity } from '@dieu-hanh/persistence';
import { unitAccessSql, type AssignmentSpec } from '@dieu-hanh/domain/assignment';
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

/** An assignment as the inbox reads it: every column, and of the spec only the plan's number. */
export type InboxRow = Omit<AssignmentEntity, 'spec'> & { spec: Pick<AssignmentSpec, 'planNumber'> };

export interface InboxPage {
  total: number;
  rows: InboxRow[];
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

/**
 * Open, and the last submission was sent back for changes: the generated column `sent_back`
 * (migration 1765700000001 holds its SQL), with the lifecycle so the queue index serves it.
 */
const SENT_BACK = `(a.lifecycle = 'open' AND a.sent_back)`;
/** A submission whose difficulties wait for an answer (the SQL of the domain's unansweredDifficulty). */
const UNANSWERED_DIFFICULTY = `EXISTS (SELECT 1 FROM jsonb_array_elements(a.state->'submissions') s WHERE btrim(coalesce(s->>'difficulties', '')) <> '' AND NOT s ? 'difficultyAnswer' AND NOT s ? 'difficultyClosedAt')`;
/** Most urgent first when sorting by status. */
const STATUS_RANK = `array_position(ARRAY['overdue','due-soon','not-due','rejected','done-late','done-on-time','cancelled']::text[], ${statusSql(ASSIGNMENT_STATUS_COLUMNS)})`;

const calendar = createWorkingCalendar();

/** A query's rows as one JSON array (`[]` when none), `item` over the rows as `x`. */
const jsonArray = (qb: SelectQueryBuilder<AssignmentEntity>, item: string) => ({
  sql: `SELECT coalesce(json_agg(${item}), '[]'::json) FROM (${qb.getQuery()}) x`,
  parameters: qb.getParameters(),
});

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

  /** Every queue's count, in one round trip (issue 12: one query per queue, one after the other). */
  async counts(user: CurrentUser, queues: QueueId[]): Promise<Record<string, number>> {
    const held = await this.held(user);
    return this.scalars(Object.fromEntries(queues.map((queue) => [queue, this.base(user, queue, held).select('count(*)::int')])));
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
    // count(*), not TypeORM's count(DISTINCT id) (a sort of every matching id), beside the page.
    const [rows, count] = await Promise.all([
      this.rowsOf(qb.clone().offset((q.page - 1) * q.pageSize).limit(q.pageSize)),
      qb.clone().orderBy().select('count(*)::int', 'n').getRawOne<{ n: number }>(),
    ]);
    const total = count?.n ?? 0;
    const open = await this.openOf(rows);
    return { total, rows, approvals: q.queue === 'approvals' ? this.heldApprovals(user, open, held) : new Map(), open };
  }

  /** The plans, units and periods present in a queue, for the filter form's choices. */
  async options(user: CurrentUser, queue: QueueId): Promise<FilterOptions> {
    const held = await this.held(user);
    // The three lists in one round trip, each as a JSON array in its own order.
    const distinct = (expr: string) => this.base(user, queue, held).select(expr, 'v').distinct(true).orderBy('v', 'ASC').limit(500);
    // The plans' keys from the queue's index; each plan's number from one of its rows (every spec of a
    // plan version carries the same plan number), instead of reading the spec of every row in the queue.
    const plans = this.base(user, queue, held).select('a.plan_key', 'key').distinct(true).orderBy('key', 'ASC').limit(200);
    const planNumber = `(SELECT n.spec->>'planNumber' FROM assignments n WHERE n.plan_key = x.key LIMIT 1)`;
    const found = await this.scalars<unknown[]>({
      plans: jsonArray(plans, `json_build_object('key', x.key, 'number', ${planNumber}) ORDER BY x.key`),
      units: jsonArray(distinct('a.lead_unit'), 'x.v ORDER BY x.v'),
      periods: jsonArray(distinct(`to_char(a.effective_deadline, 'YYYY-MM')`), 'x.v ORDER BY x.v'),
    });
    return { plans: found.plans as FilterOptions['plans'], units: found.units as string[], periods: found.periods as string[] };
  }

  /** `SELECT (q1) AS k1, (q2) AS k2 …`: several one-value queries in one round trip (their parameters agree by name). */
  private async scalars<T = number>(queries: Record<string, SelectQueryBuilder<AssignmentEntity> | { sql: string; parameters: Record<string, unknown> }>): Promise<Record<string, T>> {
    const keys = Object.keys(queries);
    if (keys.length === 0) return {};
    const parts = keys.map((k) => {
      const q = queries[k];
      return 'sql' in q ? q : { sql: q.getQuery(), parameters: q.getParameters() };
    });
    const named = `SELECT ${parts.map((p, i) => `(${p.sql}) AS "${i}"`).join(', ')}`;
    const [sql, params] = this.db.driver.escapeQueryWithParameters(named, Object.assign({}, ...parts.map((p) => p.parameters)), {});
    const [row] = (await this.db.query(sql, params)) as Record<string, T>[];
    return Object.fromEntries(keys.map((k, i) => [k, row[String(i)]]));
  }

  /**
   * Units and roles whose approval steps the person may decide today: their own, and those lent to them.
   * Read once per request (the user object is the request's): counts, page and options all need it.
   */
  private held(user: CurrentUser): Promise<{ unit: string; roles: string[] }[]> {
    let found = this.heldOf.get(user);
    if (!found) {
      found = (async () => {
        if (!user.roles.some((r) => DECIDING_ROLES.includes(r))) return [];
        const givers = await this.delegations.giversInForce(user);
        return [{ unit: user.unit, roles: user.roles as string[] }, ...givers.map((g) => ({ unit: g.unit, roles: g.roles }))];
      })();
      this.heldOf.set(user, found);
    }
    return found;
  }

  private readonly heldOf = new WeakMap<CurrentUser, Promise<{ unit: string; roles: string[] }[]>>();

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
      // The containment test only narrows the rows through the waits' GIN index; the EXISTS decides.
      case 'comments':
        return qb.where(
          `a.lifecycle IN ('open', 'awaiting-approval') AND a.state->'waits' @> jsonb_build_array(jsonb_build_object('kind', 'coordination-comment', 'unit', CAST(:ownUnit AS text))) AND EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(a.state->'waits', '[]'::jsonb)) w WHERE w->>'kind' = 'coordination-comment' AND w->>'unit' = :ownUnit AND w->>'closedAt' IS NULL)`,
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

  /**
   * A page's rows without the spec document (a row shows only the plan's number from it): the spec is
   * most of a row, and parsing it for every row was the inbox's largest share of pg's time.
   */
  private async rowsOf(qb: SelectQueryBuilder<AssignmentEntity>): Promise<InboxRow[]> {
    const columns = this.db.getMetadata(AssignmentEntity).columns.filter((c) => c.propertyName !== 'spec');
    const { entities, raw } = await qb
      .select(columns.map((c) => `a.${c.propertyName}`))
      .addSelect(`a.spec->>'planNumber'`, 'plan_number')
      .getRawAndEntities<{ plan_number: string }>();
    return entities.map((row, i) => Object.assign(row, { spec: { planNumber: raw[i].plan_number } }));
  }

  /** The open approval of each row, by assignment id (one query for the page). */
  private async openOf(rows: InboxRow[]): Promise<Map<string, ApprovalEntity>> {
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
