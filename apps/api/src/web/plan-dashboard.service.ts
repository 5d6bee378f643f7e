import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AssignmentEntity, NotificationEntity } from '@dieu-hanh/persistence';
import type { ExtensionRecord } from '@dieu-hanh/domain/assignment';
import type { StatusCode } from '@dieu-hanh/domain';
import { PlansService } from '../plans/plans.service';
import { seesAllUnits } from '../auth/access-policy';
import type { CurrentUser } from '../auth/current-user';
import { DeadlineStatus, type StatusView } from './deadline-status';
import { latestReportPeriods, showsInMatrix } from '../assignments/assignment-status';
import type { Lang, Translate } from './i18n/i18n';
import { PlanDirectory, type PlanInfo } from './plan-directory';

export interface CellItem {
  row: AssignmentEntity;
  status: StatusView;
}

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
  /** Task rows (and a last "general" row for assignments without a task) × unit columns. */
  units: { code: string; name: string; shortName: string }[];
  rows: { task: { code: string; label: string } | undefined; cells: CellItem[][] }[];
  stats: UnitStats[];
  overdue: CellItem[];
  escalations: NotificationEntity[];
  extensions: { row: AssignmentEntity; extension: ExtensionRecord }[];
  ownUnitOnly: boolean;
  empty: boolean;
}

/**
 * The plan's dashboard from the read model. People who see all units see all of it;
 * a unit's own people see their unit's column only, as the API's access policy says.
 */
@Injectable()
export class PlanDashboardService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(PlansService) private readonly plansService: PlansService,
    @Inject(PlanDirectory) private readonly plans: PlanDirectory,
    @Inject(DeadlineStatus) private readonly status: DeadlineStatus,
  ) {}

  async load(user: CurrentUser, planId: string, lang: Lang, t: Translate, now = new Date()): Promise<PlanDashboard> {
    const plan = this.plans.remember(await this.plansService.get(planId));
    const all = seesAllUnits(user);
    const assignments = await this.db
      .getRepository(AssignmentEntity)
      .find({ where: all ? { planKey: plan.key } : { planKey: plan.key, leadUnit: user.unit }, order: { dueAt: 'ASC', id: 'ASC' } });
    const items = assignments.map((row) => ({ row, status: this.status.of(row, lang, t, now) }));

    const present = new Set(assignments.map((a) => a.leadUnit));
    const known = new Set(plan.units.map((u) => u.code));
    const units = [
      ...plan.units.filter((u) => present.has(u.code)),
      ...[...present].filter((c) => !known.has(c)).sort().map((code) => ({ code, name: code, shortName: code })),
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
    const rows: PlanDashboard['rows'] = plan.tasks
      .map((task) => ({ task: { code: task.code, label: plan.taskLabel(task.code) }, cells: cellsFor((a) => a.taskCodes.includes(task.code)) }))
      .filter((r) => r.cells.some((c) => c.length > 0));
    const taskCodes = new Set(plan.tasks.map((task) => task.code));
    const general = cellsFor((a) => !a.taskCodes.some((c) => taskCodes.has(c)));
    if (general.some((c) => c.length > 0)) rows.push({ task: undefined, cells: general });

    const count = (unit: string, codes: StatusCode[]) => items.filter((i) => i.row.leadUnit === unit && codes.includes(i.status.code)).length;
    const stats = units.map((unit) => ({
      unit,
      total: items.filter((i) => i.row.leadUnit === unit.code).length,
      onTime: count(unit.code, ['done-on-time']),
      late: count(unit.code, ['done-late']),
      overdue: count(unit.code, ['overdue']),
      inProgress: count(unit.code, ['in-progress', 'due-soon', 'not-started']),
    }));

    const escalations = await this.db.getRepository(NotificationEntity).find({
      where: all ? { planKey: plan.key, kind: 'escalation' } : { planKey: plan.key, kind: 'escalation', recipientUnit: user.unit },
      order: { createdAt: 'DESC' },
      take: 100,
    });
    const extensions = assignments.flatMap((row) => row.state.extensions.filter((x) => x.status === 'pending').map((extension) => ({ row, extension })));

    return {
      plan,
      units,
      rows,
      stats,
      overdue: items.filter((i) => i.status.code === 'overdue'),
      escalations,
      extensions,
      ownUnitOnly: !all,
      empty: assignments.length === 0,
    };
  }
}
