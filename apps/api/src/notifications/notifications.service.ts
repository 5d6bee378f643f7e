import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { NotificationEntity } from '@dieu-hanh/persistence';
import { AppError, AppErrorCode } from '../common/app-error';
import type { CurrentUser } from '../auth/current-user';

export const NOTICE_KINDS = ['reminder', 'escalation', 'submitted', 'approval-needed', 'decided', 'extension', 'difficulties', 'side-effect-failed', 'citation-mismatch', 'handed-over', 'summary', 'comment-request', 'comment'] as const;

export interface NoticeFilter {
  unread?: boolean;
  kind?: string;
  plan?: string;
  page: number;
  pageSize: number;
  /** Oldest first (sort=createdAt); newest first otherwise. */
  oldestFirst?: boolean;
}

/** A notice as one person sees it: read or not by them. */
export type PersonalNotice = NotificationEntity & { readAt: Date | null };

/**
 * Notices per person: those addressed to the person's unit and meant for one of their roles
 * (or for everyone there), each read or unread for that person alone.
 */
@Injectable()
export class NotificationsService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  private visible(user: CurrentUser): SelectQueryBuilder<NotificationEntity> {
    return this.db
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .leftJoin('notification_reads', 'r', 'r.notification_id = n.id AND r.user_id = :me', { me: user.userId })
      .where('n.recipient_unit = :unit AND (cardinality(n.recipient_roles) = 0 OR n.recipient_roles && :roles::text[])', { unit: user.unit, roles: user.roles });
  }

  async list(user: CurrentUser, f: NoticeFilter): Promise<{ total: number; items: PersonalNotice[] }> {
    const qb = this.visible(user).addSelect('r.read_at', 'personal_read_at');
    if (f.unread !== undefined) qb.andWhere(f.unread ? 'r.read_at IS NULL' : 'r.read_at IS NOT NULL');
    if (f.kind) qb.andWhere('n.kind = :kind', { kind: f.kind });
    if (f.plan) qb.andWhere('n.plan_key = :plan', { plan: f.plan });
    qb.orderBy('n.created_at', f.oldestFirst ? 'ASC' : 'DESC').addOrderBy('n.id', 'ASC').offset((f.page - 1) * f.pageSize).limit(f.pageSize);
    const [{ entities, raw }, total] = await Promise.all([qb.getRawAndEntities<{ personal_read_at: Date | null }>(), qb.getCount()]);
    return { total, items: entities.map((n, i) => ({ ...n, readAt: raw[i]?.personal_read_at ?? null })) };
  }

  unreadCount(user: CurrentUser): Promise<number> {
    return this.visible(user).andWhere('r.read_at IS NULL').getCount();
  }

  /** The plans the person has notices from, for the filter. */
  async plans(user: CurrentUser): Promise<string[]> {
    const rows = (await this.visible(user).select('n.plan_key', 'plan').distinct(true).orderBy('plan').limit(200).getRawMany()) as { plan: string }[];
    return rows.map((r) => r.plan);
  }

  async markRead(user: CurrentUser, id: string): Promise<PersonalNotice> {
    const notice = await this.visible(user).andWhere('n.id = :id', { id }).getOne();
    if (!notice) {
      const exists = await this.db.getRepository(NotificationEntity).existsBy({ id });
      if (!exists) throw new AppError(AppErrorCode.NOT_FOUND, `no notification ${id}`);
      throw new AppError(AppErrorCode.FORBIDDEN, 'this notice is addressed to other people', 'OTHER_UNIT');
    }
    await this.db.query(`INSERT INTO notification_reads (notification_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [id, user.userId]);
    const [row] = (await this.db.query(`SELECT read_at FROM notification_reads WHERE notification_id = $1 AND user_id = $2`, [id, user.userId])) as { read_at: Date }[];
    return { ...notice, readAt: row.read_at };
  }

  /** Marks every notice the person can see as read by them (within the filter's plan and kind); returns how many. */
  async markAllRead(user: CurrentUser, f: Pick<NoticeFilter, 'kind' | 'plan'> = {}): Promise<number> {
    const qb = this.visible(user).select('n.id', 'id').andWhere('r.read_at IS NULL');
    if (f.kind) qb.andWhere('n.kind = :kind', { kind: f.kind });
    if (f.plan) qb.andWhere('n.plan_key = :plan', { plan: f.plan });
    const [sql, params] = qb.getQueryAndParameters();
    const n = params.length;
    const inserted = (await this.db.query(
      `INSERT INTO notification_reads (notification_id, user_id) SELECT id, $${n + 1}::uuid FROM (${sql}) unread ON CONFLICT DO NOTHING RETURNING notification_id`,
      [...params, user.userId],
    )) as unknown[];
    return inserted.length;
  }
}
