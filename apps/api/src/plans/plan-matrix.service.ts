import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { STATUS_CODES, createWorkingCalendar, statusAt, statusClock, type PlanDefinition, type StatusCode } from '@dieu-hanh/domain';
import { latestReportPeriods, showsInMatrix } from '../assignments/assignment-status';
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
    // Only the columns a cell and its status need (the stored settled status and the deadline: the
    // one status definition's two parts); the spec and state documents (a few KB a row)
    // are most of a row, and a plan of thousands of units made the matrix parse megabytes of JSON.
    const rows = await this.db.getRepository(AssignmentEntity).find({
      select: ['id', 'kind', 'taskCodes', 'leadUnit', 'lifecycle', 'effectiveDeadline', 'dueAt', 'escalationLevel', 'submissionCount', 'firstSubmittedAt', 'completedAt', 'statusSettled'],
      where: { planKey: plan.key },
      order: { leadUnit: 'ASC', id: 'ASC' },
    });
    const clock = statusClock(new Date(), this.calendar);
    const latest = latestReportPeriods(rows);
    const units = new Map<string, { unit: string; name: string; cells: Record<string, MatrixCell[]>; stats: Record<StatusCode, number> }>();
    for (const a of rows) {
      const name = definition.units.find((u) => u.code === a.leadUnit)?.name ?? a.leadUnit;
      const entry =
        units.get(a.leadUnit) ??
        { unit: a.leadUnit, name, cells: {}, stats: Object.fromEntries(STATUS_CODES.map((c) => [c, 0])) as Record<StatusCode, number> };
      const status = statusAt(a.statusSettled, a.dueAt, clock);
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
      generatedAt: new Date().toISOString(),
    };
  }
}
