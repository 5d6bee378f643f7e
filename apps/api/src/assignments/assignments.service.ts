import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AssignmentEntity } from '@dieu-hanh/persistence';
import { assignmentStateQuery, submitUpdate, type SubmitResult } from '@dieu-hanh/workflows';
import { AppError, AppErrorCode } from '../common/app-error';
import { WorkflowGateway } from '../infra/workflow-gateway';
import { assertCanRead, assertCanSubmit, seesAllUnits } from '../auth/access-policy';
import type { CurrentUser } from '../auth/current-user';
import type { ListAssignmentsQuery, SubmitReportDto } from './assignment.dto';

@Injectable()
export class AssignmentsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(WorkflowGateway) private readonly workflows: WorkflowGateway,
  ) {}

  async list(user: CurrentUser, q: ListAssignmentsQuery) {
    const qb = this.db.getRepository(AssignmentEntity).createQueryBuilder('a');
    if (!seesAllUnits(user)) qb.andWhere('a.lead_unit = :own', { own: user.unit });
    if (q.plan) qb.andWhere('a.plan_key = :plan', { plan: q.plan });
    if (q.unit) qb.andWhere('a.lead_unit = :unit', { unit: q.unit });
    if (q.kind) qb.andWhere('a.kind = :kind', { kind: q.kind });
    if (q.lifecycle) qb.andWhere('a.lifecycle = :lifecycle', { lifecycle: q.lifecycle });
    if (q.dueBefore) qb.andWhere('a.effective_deadline <= :dueBefore', { dueBefore: q.dueBefore });
    if (q.overdue) qb.andWhere(`a.lifecycle = 'open' AND a.due_at < now()`);
    const sort = q.sort ?? 'dueAt';
    qb.orderBy(sort.endsWith('updatedAt') ? 'a.updated_at' : 'a.due_at', sort.startsWith('-') ? 'DESC' : 'ASC').addOrderBy('a.id');
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const [rows, total] = await qb.skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { page, pageSize, total, items: rows.map(summary) };
  }

  async get(user: CurrentUser, id: string): Promise<AssignmentEntity> {
    const row = await this.db.getRepository(AssignmentEntity).findOneBy({ id });
    if (!row) throw new AppError(AppErrorCode.NOT_FOUND, `no assignment ${id}`);
    assertCanRead(user, row.leadUnit);
    return row;
  }

  async live(user: CurrentUser, id: string) {
    await this.get(user, id);
    return this.workflows.query(id, assignmentStateQuery);
  }

  async submit(user: CurrentUser, id: string, body: SubmitReportDto, expectKinds: string[]): Promise<SubmitResult> {
    const row = await this.get(user, id);
    assertCanSubmit(user, row.leadUnit);
    if (!expectKinds.includes(row.kind)) {
      throw new AppError(AppErrorCode.CONFLICT, `${id} is a ${row.kind} assignment; this endpoint takes ${expectKinds.join(' or ')}`, 'WRONG_KIND');
    }
    return this.workflows.update(id, submitUpdate, {
      version: body.version,
      text: body.text,
      attachments: body.attachments.map((a) => ({ name: a.name, ref: a.ref })),
      actor: { userId: user.userId, name: user.name, unit: user.unit, roles: user.roles },
      cites: body.cites,
      difficulties: body.difficulties,
    });
  }
}

export function summary(a: AssignmentEntity) {
  return {
    id: a.id,
    planKey: a.planKey,
    kind: a.kind,
    taskCodes: a.taskCodes,
    leadUnit: a.leadUnit,
    title: a.title,
    lifecycle: a.lifecycle,
    nominalDeadline: a.nominalDeadline,
    effectiveDeadline: a.effectiveDeadline,
    dueAt: a.dueAt,
    originalDueAt: a.originalDueAt,
    escalationLevel: a.escalationLevel,
    submissionCount: a.submissionCount,
    approvalId: a.approvalId,
    completedAt: a.completedAt,
  };
}
