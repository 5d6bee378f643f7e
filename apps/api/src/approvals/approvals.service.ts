import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApprovalEntity, AssignmentEntity } from '@dieu-hanh/persistence';
import { localDateInVietnam } from '@dieu-hanh/domain';
import { decideUpdate } from '@dieu-hanh/workflows';
import { AppError, AppErrorCode } from '../common/app-error';
import { WorkflowGateway } from '../infra/workflow-gateway';
import { DECIDING_ROLES, assertCanRead, assertRole, seesAllUnits } from '../auth/access-policy';
import type { CurrentUser } from '../auth/current-user';
import type { DecisionDto } from './decision.dto';
import { DelegationsService } from '../delegations/delegations.service';

/** Today's date in Asia/Ho_Chi_Minh, ISO yyyy-mm-dd (delegations are dated in local days). */
export const localToday = (now = new Date()) => localDateInVietnam(now);

@Injectable()
export class ApprovalsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(WorkflowGateway) private readonly workflows: WorkflowGateway,
    @Inject(DelegationsService) private readonly delegations: DelegationsService,
  ) {}

  async get(user: CurrentUser, id: string): Promise<ApprovalEntity> {
    const row = await this.db.getRepository(ApprovalEntity).findOneBy({ id });
    if (!row) throw new AppError(AppErrorCode.NOT_FOUND, `no approval ${id}`);
    // Coordinating units read the approval of a draft they coordinate, as they read the assignment.
    const assignment = seesAllUnits(user) || user.unit === row.leadUnit ? null : await this.db.getRepository(AssignmentEntity).findOneBy({ id: row.assignmentId });
    assertCanRead(user, row.leadUnit, assignment?.coordinatingUnits ?? []);
    return row;
  }

  async decide(user: CurrentUser, id: string, body: DecisionDto) {
    const row = await this.get(user, id);
    assertRole(user, [...DECIDING_ROLES], 'deciding on a draft');
    const today = localToday();
    const delegation =
      row.currentUnit && row.currentRole && !(user.unit === row.currentUnit && user.roles.includes(row.currentRole as never))
        ? await this.delegations.inForceFor(user, { unit: row.currentUnit, role: row.currentRole }, today)
        : undefined;
    return this.workflows.update(id, decideUpdate, {
      approvalId: id,
      version: body.version,
      step: body.step,
      decision: body.decision,
      comment: body.comment ?? '',
      actor: { userId: user.userId, name: user.name, unit: user.unit, roles: user.roles },
      delegation,
      today,
    });
  }
}
