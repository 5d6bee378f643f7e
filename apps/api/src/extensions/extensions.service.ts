import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AssignmentEntity } from '@dieu-hanh/persistence';
import { decideExtensionUpdate, requestExtensionUpdate } from '@dieu-hanh/workflows';
import { AppError, AppErrorCode } from '../common/app-error';
import { WorkflowGateway } from '../infra/workflow-gateway';
import { AssignmentsService } from '../assignments/assignments.service';
import { assertRole, assertStandingOfficeOf } from '../auth/access-policy';
import type { CurrentUser } from '../auth/current-user';
import type { ExtensionDecisionDto, ExtensionRequestDto } from './extension.dto';

const actorOf = (u: CurrentUser) => ({ userId: u.userId, name: u.name, unit: u.unit, roles: u.roles });

/** Extensions (gia hạn): a unit head asks, the Standing Office decides; the workflow re-arms its timers. */
@Injectable()
export class ExtensionsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(WorkflowGateway) private readonly workflows: WorkflowGateway,
    @Inject(AssignmentsService) private readonly assignments: AssignmentsService,
  ) {}

  async request(user: CurrentUser, assignmentId: string, body: ExtensionRequestDto) {
    const row = await this.assignments.get(user, assignmentId);
    assertRole(user, ['unit-head'], 'asking for an extension');
    if (user.unit !== row.leadUnit) throw new AppError(AppErrorCode.FORBIDDEN, `only ${row.leadUnit} asks for this extension`, 'OTHER_UNIT');
    const requestId = `ext-${randomUUID()}`;
    const state = await this.workflows.update(assignmentId, requestExtensionUpdate, {
      requestId,
      reason: body.reason,
      proposedDate: body.proposedDate,
      actor: actorOf(user),
    });
    return { requestId, assignmentId, status: 'pending', deadline: state.deadline };
  }

  async decide(user: CurrentUser, requestId: string, body: ExtensionDecisionDto) {
    assertRole(user, ['standing-office'], 'deciding an extension');
    const row = await this.db
      .getRepository(AssignmentEntity)
      .createQueryBuilder('a')
      .where(`a.state->'extensions' @> :probe::jsonb`, { probe: JSON.stringify([{ requestId }]) })
      .getOne();
    if (!row) throw new AppError(AppErrorCode.NOT_FOUND, `no extension request ${requestId}`);
    assertStandingOfficeOf(user, row.spec.noticeUnits.standingOffice, 'deciding an extension');
    const state = await this.workflows.update(row.id, decideExtensionUpdate, {
      requestId,
      granted: body.granted,
      comment: body.comment ?? '',
      date: body.date,
      actor: actorOf(user),
    });
    return {
      requestId,
      assignmentId: row.id,
      status: body.granted ? 'granted' : 'refused',
      deadline: state.deadline,
      originalDeadline: state.originalDeadline,
    };
  }

  /** Pending requests, for the Standing Office. */
  async pending(planKey?: string) {
    const qb = this.db
      .getRepository(AssignmentEntity)
      .createQueryBuilder('a')
      .where(`a.state->'extensions' @> '[{"status":"pending"}]'::jsonb`);
    if (planKey) qb.andWhere('a.plan_key = :planKey', { planKey });
    const rows = await qb.orderBy('a.due_at').getMany();
    return rows.flatMap((a) =>
      a.state.extensions.filter((x) => x.status === 'pending').map((x) => ({ ...x, assignmentId: a.id, title: a.title, leadUnit: a.leadUnit, deadline: a.state.deadline })),
    );
  }
}
