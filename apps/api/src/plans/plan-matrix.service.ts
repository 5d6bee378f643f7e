import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createWorkingCalendar, type PlanDefinition, type StatusCode } from '@dieu-hanh/domain';
import { assignmentStatus, latestReportPeriods, showsInMatrix } from '../assignments/assignment-status';
import { AssignmentEntity } from '@dieu-hanh/persistence';
import type { PlansService } from './plans.service';

export interface MatrixCell {
  assignmentId: string;
  kind: string;
  status: StatusCode;
  effectiveDeadline: string;
  escalationLevel: number;
}

/**
 * Tasks × units: each unit's assignments of a plan per task ('-' for assignments
 * not tied to one task), with status, and per-unit counts.
 */
@Injectable()
export class PlanMatrixService {
  private readonly calendar = createWorkingCalendar();

  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async matrix(plan: Awaited<ReturnType<PlansService['get']>>) {
    const definition = plan.definition as PlanDefinition;
    const rows = await this.db.getRepository(AssignmentEntity).find({ where: { planKey: plan.key }, order: { leadUnit: 'ASC' } });
    const now = new Date();
    const latest = latestReportPeriods(rows);
    const units = new Map<string, { unit: string; name: string; cells: Record<string, MatrixCell[]>; stats: Record<StatusCode, number> }>();
    for (const a of rows) {
      const name = definition.units.find((u) => u.code === a.leadUnit)?.name ?? a.leadUnit;
      const entry =
        units.get(a.leadUnit) ??
        { unit: a.leadUnit, name, cells: {}, stats: { 'not-started': 0, 'in-progress': 0, 'due-soon': 0, overdue: 0, 'done-on-time': 0, 'done-late': 0 } };
      const status = assignmentStatus(a, now, this.calendar);
      entry.stats[status]++;
      units.set(a.leadUnit, entry);
      if (!showsInMatrix(a, latest)) continue;
      for (const task of a.taskCodes.length ? a.taskCodes : ['-']) {
        (entry.cells[task] ??= []).push({ assignmentId: a.id, kind: a.kind, status, effectiveDeadline: a.effectiveDeadline, escalationLevel: a.escalationLevel });
      }
    }
    return {
      plan: { id: plan.id, key: plan.key, number: plan.number, title: plan.title },
      tasks: [...definition.tasks.map((t) => ({ code: t.code, kind: t.kind, number: t.number })), { code: '-', kind: 'other', number: 0 }],
      units: [...units.values()],
      generatedAt: now.toISOString(),
    };
  }
}
