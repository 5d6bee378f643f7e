import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, Not } from 'typeorm';
import { ApprovalEntity, AssignmentEntity, PlanVersionEntity } from '@dieu-hanh/persistence';
import { unitAccess, unitAccessSql, type ExtensionRecord } from '@dieu-hanh/domain/assignment';
import type { PlanAmendmentDiff, PlanDefinition, StatusCode } from '@dieu-hanh/domain';
import { PlansService } from '../../plans/plans.service';
import { seesAllUnits } from '../../auth/access-policy';
import type { CurrentUser } from '../../auth/current-user';
import { DeadlineStatus, type StatusView } from '../deadline-status';
import { latestReportPeriods, showsInMatrix } from '../../assignments/assignment-status';
import type { Lang, Translate } from '../i18n/i18n';
import { PlanDirectory, type PlanInfo } from '../plan-directory';
import { planWaits, waitedOnRows, type WaitedOnRow } from '../../reports/waited-on';
import { createWorkingCalendar } from '@dieu-hanh/domain';
import { PeopleDirectory } from '../people-directory';
import { openWaitsOf, waitView, waitWhat, type WaitView } from '../waiting-on.view';

/** Open waits the dashboard lists, most urgent first; the rest are counted. */
export const WAITS_SHOWN = 100;

export interface CellItem {
  row: AssignmentEntity;
  status: StatusView;
  /** The reader's unit coordinates it (phối hợp): shown to read, in its lead unit's column, never to act on. */
  coordinating: boolean;
}

export interface EscalationGroup {
  assignmentId: string;
  subject: string;
  level: number;
  count: number;
  firstAt: Date;
  lastAt: Date;
  recipients: string[];
}

/** Escalation groups per dashboard page. */
export const ESCALATION_PAGE_SIZE = 20;
/** Task rows of the matrix per dashboard page (the XLSX export has them all). */
export const MATRIX_ROWS_PER_PAGE = 20;

export interface UnitStats {
  unit: { code: string; name: string; shortName: string };
  total: number;
  onTime: number;
  late: number;
  overdue: number;
  inProgress: number;
}

export interface PlanDashboard {
  plan: PlanInfo;
  /** Task rows (and a last "general" row for assignments without a task) × unit columns: one page of rows. */
  units: { code: string; name: string; shortName: string }[];
  rows: { task: { code: string; label: string } | undefined; cells: CellItem[][] }[];
  /** Which rows of the matrix this page shows (MATRIX_ROWS_PER_PAGE a page). */
  matrixPage: { page: number; pages: number; total: number; size: number; from: number; to: number };
  /** The same matrix as the XLSX export has always had it: an assignment in each of its tasks' rows. */
  exportRows: PlanDashboard['rows'];
  /** Per lead unit shown; a coordinating unit's reader gets no partial counts of the units it coordinates with. */
  stats: UnitStats[];
  /** Per unit waited on (approval steps, extension decisions): its own timeliness, apart from the units that waited. */
  waitedOn: WaitedOnRow[];
  /** What waits on a person now (approval steps, extension decisions, difficulty answers): who, since, until when. */
  waits: { row: AssignmentEntity; wait: WaitView; dueAt: number }[];
  waitsMore: number;
  overdue: CellItem[];
  /** Escalations grouped by assignment (highest level first), one page of them. */
  escalations: EscalationGroup[];
  escalationPage: { page: number; pages: number; total: number };
  /** The plan's escalation ladders, so "cấp 3" means something on the page. */
  ladders: { code: string; label: string; steps: { level: number; afterWorkingDays?: number; afterSeconds?: number; notify: string[] }[] }[];
  extensions: { row: AssignmentEntity; extension: ExtensionRecord }[];
  ownUnitOnly: boolean;
  empty: boolean;
  /** Amendments applied to this running plan, oldest first. */
  amendments: { id: string; key: string; amendedAt: Date; amendedBy: string; reason: string; counts: Record<'added' | 'removed' | 'deadlineChanged' | 'handedOver', number> }[];
}

/**
 * The plan's dashboard from the read model. People who see all units see all of it;
 * a unit's own people see what the one access rule (unitAccess) lets them: their unit's
 * assignments, and those it coordinates, marked as such, in their lead units' columns.
 */
@Injectable()
export class PlanDashboardService {
  private readonly calendar = createWorkingCalendar();

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(PlansService) private readonly plansService: PlansService,
    @Inject(PlanDirectory) private readonly plans: PlanDirectory,
    @Inject(DeadlineStatus) private readonly status: DeadlineStatus,
    @Inject(PeopleDirectory) private readonly people: PeopleDirectory,
  ) {}

  async load(user: CurrentUser, planId: string, lang: Lang, t: Translate, now = new Date(), escalationPage = 1, matrixPage = 1): Promise<PlanDashboard> {
    const plan = this.plans.remember(await this.plansService.get(planId));
    const all = seesAllUnits(user);
    const query = this.db.getRepository(AssignmentEntity).createQueryBuilder('a').where('a.plan_key = :planKey', { planKey: plan.key });
    if (!all) query.andWhere(unitAccessSql('a', 'ownUnit'), { ownUnit: user.unit });
    const assignments = await query.orderBy('a.due_at', 'ASC').addOrderBy('a.id', 'ASC').getMany();
    const items: CellItem[] = assignments.map((row) => ({ row, status: this.status.of(row, lang, t, now), coordinating: unitAccess(user, row) === 'coordinating' }));
    const led = items.filter((i) => !i.coordinating);

    // Amendments applied to this running plan; a reorganisation in one brings successor units
    // the launched version does not name, so their names come from the latest amendment.
    const applied = await this.db.getRepository(PlanVersionEntity).find({ where: { amendsKey: plan.key, amendedAt: Not(IsNull()) }, order: { amendedAt: 'ASC' } });
    const laterUnits = new Map(applied.flatMap((v) => (v.definition as PlanDefinition).units.map((u) => [u.code, u] as const)));
    const present = new Set(assignments.map((a) => a.leadUnit));
    const known = new Set(plan.units.map((u) => u.code));
    const units = [
      ...plan.units.filter((u) => present.has(u.code)),
      ...[...present]
        .filter((c) => !known.has(c))
        .sort()
        .map((code) => {
          const later = laterUnits.get(code);
          return { code, name: later?.name ?? code, shortName: later?.shortName ?? later?.name ?? code };
        }),
    ];
    const column = new Map(units.map((u, i) => [u.code, i]));
    const latest = latestReportPeriods(assignments);
    const cellsFor = (match: (a: AssignmentEntity) => boolean) => {
      const cells: CellItem[][] = units.map(() => []);
      for (const item of items) {
        const i = column.get(item.row.leadUnit);
        if (i !== undefined && match(item.row) && showsInMatrix(item.row, latest)) cells[i].push(item);
      }
      return cells;
    };
    const taskCodes = new Set(plan.tasks.map((task) => task.code));
    const matrix = (inTaskRow: (a: AssignmentEntity, task: string) => boolean, inGeneralRow: (a: AssignmentEntity) => boolean) => {
      const built: PlanDashboard['rows'] = plan.tasks
        .map((task) => ({ task: { code: task.code, label: plan.taskLabel(task.code) }, cells: cellsFor((a) => inTaskRow(a, task.code)) }))
        .filter((r) => r.cells.some((c) => c.length > 0));
      const general = cellsFor(inGeneralRow);
      if (general.some((c) => c.length > 0)) built.push({ task: undefined, cells: general });
      return built;
    };
    // On the page, an assignment for one task sits in that task's row; one that covers several
    // tasks (a unit-wide obligation such as a concretisation plan) or none has its own row, once.
    const rows = matrix(
      (a, task) => a.taskCodes.length === 1 && a.taskCodes[0] === task,
      (a) => a.taskCodes.length !== 1 || !taskCodes.has(a.taskCodes[0]),
    );
    const pages = Math.max(1, Math.ceil(rows.length / MATRIX_ROWS_PER_PAGE));
    const page = Math.min(Math.max(1, matrixPage), pages);
    const shown = rows.slice((page - 1) * MATRIX_ROWS_PER_PAGE, page * MATRIX_ROWS_PER_PAGE);
    const matrixAt = { page, pages, total: rows.length, size: MATRIX_ROWS_PER_PAGE, from: rows.length ? (page - 1) * MATRIX_ROWS_PER_PAGE + 1 : 0, to: (page - 1) * MATRIX_ROWS_PER_PAGE + shown.length };
    // The XLSX export keeps its shape: an assignment in every row of its tasks, all rows.
    const exportRows = matrix(
      (a, task) => a.taskCodes.includes(task),
      (a) => !a.taskCodes.some((c) => taskCodes.has(c)),
    );

    const count = (unit: string, codes: StatusCode[]) => led.filter((i) => i.row.leadUnit === unit && codes.includes(i.status.code)).length;
    const stats = units
      .filter((unit) => led.some((i) => i.row.leadUnit === unit.code))
      .map((unit) => ({
        unit,
        total: led.filter((i) => i.row.leadUnit === unit.code).length,
        onTime: count(unit.code, ['done-on-time']),
        late: count(unit.code, ['done-late']),
        overdue: count(unit.code, ['overdue']),
        inProgress: count(unit.code, ['not-due', 'due-soon']),
      }));

    const { groups: escalations, total: escalationTotal } = await escalationGroups(this.db, plan.key, all ? undefined : user.unit, escalationPage);
    const waitedOn = waitedOnRows(await planWaits(this.db, plan.key), (code) => plan.unitName(code), now, this.calendar).filter(
      (r) => all || r.unit === user.unit,
    );
    const { waits, waitsMore } = await this.openWaits(plan, assignments, lang, t, now);
    const extensions = assignments.flatMap((row) => row.state.extensions.filter((x) => x.status === 'pending').map((extension) => ({ row, extension })));

    const amendments = applied.map((v) => {
      const diff = v.amendmentDiff as PlanAmendmentDiff;
      const a = diff.assignments;
      // Assignments handed over, as the other counts: the duties' report periods open with time, so
      // counting them made the line change from month to month (the amendment page lists them all).
      return {
        id: v.id,
        key: v.key,
        amendedAt: v.amendedAt!,
        amendedBy: v.amendedBy ?? '',
        reason: v.amendmentReason ?? '',
        counts: { added: a.added.length, removed: a.removed.length, deadlineChanged: a.deadlineChanged.length, handedOver: a.handedOver.length },
      };
    });

    return {
      amendments,
      plan,
      units,
      rows: shown,
      matrixPage: matrixAt,
      exportRows,
      stats,
      waitedOn,
      waits,
      waitsMore,
      overdue: items.filter((i) => i.status.code === 'overdue'),
      escalations,
      escalationPage: { page: escalationPage, pages: Math.max(1, Math.ceil(escalationTotal / ESCALATION_PAGE_SIZE)), total: escalationTotal },
      ladders: plan.ladders,
      extensions,
      ownUnitOnly: !all,
      empty: assignments.length === 0,
    };
  }

  /** Every open wait of the shown assignments, with a deadline first by deadline, then those without one. */
  private async openWaits(plan: PlanInfo, assignments: AssignmentEntity[], lang: Lang, t: Translate, now: Date): Promise<Pick<PlanDashboard, 'waits' | 'waitsMore'>> {
    const approvals = await this.db.getRepository(ApprovalEntity).find({ where: { planKey: plan.key, outcome: IsNull() } });
    const openApproval = new Map(approvals.map((a) => [a.id, a.state]));
    const found = assignments.flatMap((row) => {
      const approval = row.approvalId ? openApproval.get(row.approvalId) : undefined;
      return openWaitsOf(row.state, approval).map((w) => ({ row, w, approval }));
    });
    found.sort((a, b) => due(a.w) - due(b.w) || a.row.id.localeCompare(b.row.id));
    const shown = found.slice(0, WAITS_SHOWN);
    const holders = await this.people.holders(shown.map((f) => f.w.unit));
    const waits = shown.map(({ row, w, approval }) => ({
      row,
      dueAt: due(w),
      wait: waitView(w, waitWhat(w, (step) => approval?.chain.find((x) => x.step === step)?.label, t), { lang, t, now, status: this.status, unitName: plan.unitName, holders }),
    }));
    return { waits, waitsMore: found.length - shown.length };
  }
}

const due = (w: { deadline?: { dueAt: string } }) => (w.deadline ? Date.parse(w.deadline.dueAt) : Number.MAX_SAFE_INTEGER);

/**
 * The dashboard's escalations: notices of a plan grouped by assignment, one row each at the
 * highest level it reached, however many notices and repeats went out; a page of them.
 */
export async function escalationGroups(db: DataSource, planKey: string, unit: string | undefined, page: number): Promise<{ groups: EscalationGroup[]; total: number }> {
  const params: unknown[] = [planKey];
  const byUnit = unit === undefined ? '' : `AND recipient_unit = $${params.push(unit)}`;
  const [{ total }] = await db.query(`SELECT count(DISTINCT assignment_id)::int AS total FROM notifications WHERE plan_key = $1 AND kind = 'escalation' ${byUnit}`, params);
  const limit = params.push(ESCALATION_PAGE_SIZE);
  const offset = params.push((page - 1) * ESCALATION_PAGE_SIZE);
  const groups: EscalationGroup[] = await db.query(
    `SELECT assignment_id AS "assignmentId", max(level)::int AS level, count(*)::int AS count, min(created_at) AS "firstAt", max(created_at) AS "lastAt",
            array_agg(DISTINCT recipient_unit) AS recipients, (array_agg(subject ORDER BY created_at DESC))[1] AS subject
       FROM notifications WHERE plan_key = $1 AND kind = 'escalation' ${byUnit}
      GROUP BY assignment_id ORDER BY max(level) DESC, max(created_at) DESC, assignment_id LIMIT $${limit} OFFSET $${offset}`,
    params,
  );
  return { groups, total };
}
