import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { STATUS_CODES, createWorkingCalendar, statusAt, statusClock, type PlanDefinition, type StatusCode } from '@dieu-hanh/domain';
import { latestReportPeriods, showsInMatrix } from '../assignments/assignment-status';
import { AssignmentEntity } from '@dieu-hanh/persistence';
import type { PlansService } from './plans.service';

type MatrixRow = Pick<AssignmentEntity, 'id' | 'kind' | 'taskCodes' | 'leadUnit' | 'effectiveDeadline' | 'dueAt' | 'escalationLevel' | 'statusSettled'>;

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
    // Raw rows, not entities: TypeORM's hydration was most of the Node time of a plan with thousands of units.
    const rows = await this.db
      .getRepository(AssignmentEntity)
      .createQueryBuilder('a')
      .select(['a.id AS id', 'a.kind AS kind', 'a.task_codes AS "taskCodes"', 'a.lead_unit AS "leadUnit"', 'a.effective_deadline::text AS "effectiveDeadline"', 'a.due_at AS "dueAt"', 'a.escalation_level AS "escalationLevel"', 'a.status_settled AS "statusSettled"'])
      .where('a.plan_key = :plan', { plan: plan.key })
      .orderBy('a.lead_unit', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getRawMany<MatrixRow>();
    const clock = statusClock(new Date(), this.calendar);
    const latest = latestReportPeriods(rows);
    const names = new Map(definition.units.map((u) => [u.code, u.name]));
    const units = new Map<string, { unit: string; name: string; cells: Record<string, MatrixCell[]>; stats: Record<StatusCode, number> }>();
    for (const a of rows) {
      let entry = units.get(a.leadUnit);
      if (!entry) {
        entry = { unit: a.leadUnit, name: names.get(a.leadUnit) ?? a.leadUnit, cells: {}, stats: Object.fromEntries(STATUS_CODES.map((c) => [c, 0])) as Record<StatusCode, number> };
        units.set(a.leadUnit, entry);
      }
      const status = statusAt(a.statusSettled, a.dueAt, clock);
      entry.stats[status]++;
      if (!showsInMatrix(a, latest)) continue;
      const cell: MatrixCell = { assignmentId: a.id, kind: a.kind, status, effectiveDeadline: a.effectiveDeadline, escalationLevel: a.escalationLevel };
      for (const task of a.taskCodes.length ? a.taskCodes : ['-']) (entry.cells[task] ??= []).push(cell);
    }
    return {
      plan: { id: plan.id, key: plan.key, number: plan.number, title: plan.title },
      tasks: [...definition.tasks.map((t) => ({ code: t.code, kind: t.kind, number: t.number })), { code: '-', kind: 'other', number: 0 }],
      units: [...units.values()],
      generatedAt: new Date().toISOString(),
    };
  }
}
