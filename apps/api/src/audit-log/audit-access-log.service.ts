import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditAccessLogEntity } from '@dieu-hanh/persistence';
import type { CurrentUser } from '../auth/current-user';

export interface AccessRecord {
  action: string;
  target: string;
  method: string;
  path: string;
  channel: 'web' | 'api';
}

export interface AccessLogQuery {
  username?: string;
  action?: string;
  target?: string;
  limit?: number;
}

/** Auditing the auditors: writes and lists `audit_access_log`. */
@Injectable()
export class AuditAccessLog {
  private readonly logger = new Logger('audit-access');

  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Records an access before it is answered; returns the entry's id for `answered`. */
  async record(user: CurrentUser, access: AccessRecord): Promise<string> {
    const repo = this.db.getRepository(AuditAccessLogEntity);
    const saved = await repo.save(
      repo.create({
        userId: user.userId,
        username: user.username,
        userName: user.name,
        userUnit: user.unit,
        userRoles: user.roles,
        action: access.action.slice(0, 200),
        target: access.target.slice(0, 1000),
        channel: access.channel,
        method: access.method,
        path: access.path.slice(0, 2000),
        status: null,
      }),
    );
    return saved.id;
  }

  /** The HTTP status the access got (best effort: the access itself is already on record). */
  answered(id: string, status: number): void {
    this.db
      .getRepository(AuditAccessLogEntity)
      .update({ id }, { status })
      .catch((err: unknown) => this.logger.error({ err, id, status }, 'could not record the status of an audit access'));
  }

  async list(query: AccessLogQuery = {}): Promise<AuditAccessLogEntity[]> {
    const qb = this.db.getRepository(AuditAccessLogEntity).createQueryBuilder('l').orderBy('l.at', 'DESC').addOrderBy('l.id', 'DESC');
    if (query.username) qb.andWhere('l.username = :username', { username: query.username });
    if (query.action) qb.andWhere('l.action = :action', { action: query.action });
    if (query.target) qb.andWhere('l.target = :target', { target: query.target });
    return qb.take(Math.min(Math.max(query.limit ?? 200, 1), 1000)).getMany();
  }
}
