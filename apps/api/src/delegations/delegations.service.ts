import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, IsNull } from 'typeorm';
import { DelegationEntity, PlanVersionEntity, UserEntity } from '@dieu-hanh/persistence';
import { checkDelegationGrant, delegationInForceFor, delegationRefusal, localDateInVietnam, type Delegation } from '@dieu-hanh/domain';
import type { Actor } from '@dieu-hanh/domain/assignment';
import { AppError, AppErrorCode } from '../common/app-error';
import type { CurrentUser } from '../auth/current-user';

const actorOf = (u: Pick<UserEntity, 'id' | 'displayName' | 'unitCode' | 'roles'>): Actor => ({ userId: u.id, name: u.displayName, unit: u.unitCode, roles: u.roles });

/**
 * Ủy quyền, on top of the domain's one definition (libs/domain delegation): giving and
 * revoking delegations, and finding the one a person may use for an approval step today.
 * The API resolves delegations here, from the database, and hands the approval workflow the
 * result; the workflow checks it again with the same rules.
 */
@Injectable()
export class DelegationsService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async create(user: CurrentUser, body: { toUsername: string; validFrom: string; validTo: string; reason: string }): Promise<DelegationEntity> {
    const users = this.db.getRepository(UserEntity);
    const from = await users.findOneBy({ id: user.userId, active: true });
    const to = await users.findOneBy({ username: body.toUsername, active: true });
    if (!from) throw new AppError(AppErrorCode.UNAUTHENTICATED, 'Cần đăng nhập / login required');
    if (!to) throw new AppError(AppErrorCode.VALIDATION, 'Invalid delegation', undefined, [{ field: 'toUsername', reason: `no active user ${body.toUsername}` }]);
    const problems = checkDelegationGrant({ from: actorOf(from), to: actorOf(to), validFrom: body.validFrom, validTo: body.validTo, today: localDateInVietnam(new Date()) });
    if (problems.length) throw new AppError(AppErrorCode.VALIDATION, 'Invalid delegation', undefined, problems);
    const repo = this.db.getRepository(DelegationEntity);
    return repo.save(repo.create({ fromUserId: from.id, toUserId: to.id, validFrom: body.validFrom, validTo: body.validTo, reason: body.reason, revokedAt: null, revokedBy: null }));
  }

  /** The delegator, or the Standing Office (role and a Standing Office unit of some plan), ends a delegation at once. */
  async revoke(user: CurrentUser, id: string): Promise<DelegationEntity> {
    const repo = this.db.getRepository(DelegationEntity);
    const row = await repo.findOneBy({ id });
    if (!row) throw new AppError(AppErrorCode.NOT_FOUND, `no delegation ${id}`);
    if (row.fromUserId !== user.userId && !(await this.isStandingOffice(user))) {
      throw new AppError(AppErrorCode.FORBIDDEN, 'only the person who gave a delegation or the Standing Office revokes it', 'NOT_DELEGATOR');
    }
    if (row.revokedAt) throw new AppError(AppErrorCode.CONFLICT, `delegation ${id} was already revoked`, 'ALREADY_REVOKED');
    await repo.createQueryBuilder().update().set({ revokedAt: () => 'now()', revokedBy: user.userId }).where('id = :id AND revoked_at IS NULL', { id }).execute();
    return repo.findOneByOrFail({ id });
  }

  async mine(user: CurrentUser) {
    const repo = this.db.getRepository(DelegationEntity);
    return {
      given: await repo.find({ where: { fromUserId: user.userId }, order: { createdAt: 'DESC' } }),
      received: await repo.find({ where: { toUserId: user.userId }, order: { createdAt: 'DESC' } }),
    };
  }

  /** Every unrevoked delegation to `user`, with the givers as they are now (roles and unit change). */
  async receivedBy(user: Pick<CurrentUser, 'userId' | 'name' | 'unit' | 'roles'>): Promise<Delegation[]> {
    // Entities, not raw rows: TypeORM reads `date` columns as yyyy-mm-dd strings, raw rows as JS Dates.
    const rows = await this.db.getRepository(DelegationEntity).findBy({ toUserId: user.userId, revokedAt: IsNull() });
    if (rows.length === 0) return [];
    const givers = await this.db.getRepository(UserEntity).findBy({ id: In(rows.map((r) => r.fromUserId)), active: true });
    const byId = new Map(givers.map((u) => [u.id, actorOf(u)]));
    const to: Actor = { userId: user.userId, name: user.name, unit: user.unit, roles: user.roles };
    return rows.flatMap((r) => {
      const from = byId.get(r.fromUserId);
      return from ? [{ id: r.id, from, to, validFrom: r.validFrom, validTo: r.validTo, revokedAt: r.revokedAt?.toISOString() ?? null }] : [];
    });
  }

  /** A delegation `user` may use today for a step held by (unit, role), considering all of them. */
  async inForceFor(user: CurrentUser, step: { unit: string; role: string }, today = localDateInVietnam(new Date())): Promise<Delegation | undefined> {
    const actor: Actor = { userId: user.userId, name: user.name, unit: user.unit, roles: user.roles };
    return delegationInForceFor(await this.receivedBy(user), actor, today, (from) => from.unit === step.unit && from.roles.includes(step.role));
  }

  /** The people whose authority `user` may use today (for the inbox). */
  async giversInForce(user: CurrentUser, today = localDateInVietnam(new Date())): Promise<Actor[]> {
    const actor: Actor = { userId: user.userId, name: user.name, unit: user.unit, roles: user.roles };
    return (await this.receivedBy(user)).filter((d) => delegationRefusal(d, actor, today) === undefined).map((d) => d.from);
  }

  private async isStandingOffice(user: CurrentUser): Promise<boolean> {
    if (!user.roles.includes('standing-office')) return false;
    const found = await this.db
      .getRepository(PlanVersionEntity)
      .createQueryBuilder('p')
      .where(`p.definition->'plan'->>'standingOffice' = :unit`, { unit: user.unit })
      .getCount();
    return found > 0;
  }
}
