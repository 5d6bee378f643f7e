import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApprovalEntity, DelegationEntity, UserEntity } from '@dieu-hanh/persistence';
import type { Delegation } from '@dieu-hanh/domain/assignment';
import { decideUpdate } from '@dieu-hanh/workflows';
import { AppError, AppErrorCode } from '../common/app-error';
import { WorkflowGateway } from '../infra/workflow-gateway';
import { assertCanRead, assertRole } from '../auth/access-policy';
import type { CurrentUser } from '../auth/current-user';
import type { DecisionDto } from './decision.dto';

/** Today's date in Asia/Ho_Chi_Minh, ISO yyyy-mm-dd (delegations are dated in local days). */
export const localToday = (now = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(now);

@Injectable()
export class ApprovalsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(WorkflowGateway) private readonly workflows: WorkflowGateway,
  ) {}

  async get(user: CurrentUser, id: string): Promise<ApprovalEntity> {
    const row = await this.db.getRepository(ApprovalEntity).findOneBy({ id });
    if (!row) throw new AppError(AppErrorCode.NOT_FOUND, `no approval ${id}`);
    assertCanRead(user, row.leadUnit);
    return row;
  }

  async decide(user: CurrentUser, id: string, body: DecisionDto) {
    const row = await this.get(user, id);
    assertRole(user, ['approver', 'standing-office'], 'deciding on a draft');
    const today = localToday();
    const delegation =
      row.currentUnit && row.currentRole && !(user.unit === row.currentUnit && user.roles.includes(row.currentRole as never))
        ? await this.delegationFor(user, row.currentUnit, row.currentRole, today)
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

  /** A delegation to `user` valid today from someone holding (unit, role), if any. */
  private async delegationFor(user: CurrentUser, unit: string, role: string, today: string): Promise<Delegation | undefined> {
    const found = await this.db
      .getRepository(DelegationEntity)
      .createQueryBuilder('d')
      .innerJoin(UserEntity, 'u', 'u.id = d.from_user_id')
      .where('d.to_user_id = :me AND d.valid_from <= :today AND d.valid_to >= :today', { me: user.userId, today })
      .andWhere('u.unit_code = :unit AND :role = ANY(u.roles) AND u.active', { unit, role })
      .select(['d.valid_from AS "validFrom"', 'd.valid_to AS "validTo"', 'u.id AS "userId"', 'u.display_name AS "name"', 'u.unit_code AS "unit"', 'u.roles AS "roles"'])
      .getRawOne<{ validFrom: string; validTo: string; userId: string; name: string; unit: string; roles: string[] }>();
    if (!found) return undefined;
    return {
      from: { userId: found.userId, name: found.name, unit: found.unit, roles: found.roles },
      validFrom: found.validFrom,
      validTo: found.validTo,
    };
  }
}
