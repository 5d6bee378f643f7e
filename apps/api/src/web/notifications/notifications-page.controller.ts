import { Controller, Get, Inject, Param, ParseUUIDPipe, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource, In } from 'typeorm';
import { AssignmentEntity, NotificationEntity } from '@dieu-hanh/persistence';
import { Roles } from '../../auth/roles.guard';
import { User, type CurrentUser } from '../../auth/current-user';
import { NOTICE_KINDS, NotificationsService, type NoticeFilter } from '../../notifications/notifications.service';
import { noticeKindLabel } from '@dieu-hanh/domain';
import { PlanDirectory } from '../plan-directory';
import { WebCsrfGuard } from '../web-csrf';
import { WebExceptionFilter } from '../web-exception.filter';
import { WebPages } from '../web-pages';
import type { WebRequest } from '../web-request';
import { noticeView } from './notifications.view';

const PAGE_SIZE = 25;
const SHOWS = ['unread', 'read', 'all'] as const;

/** The person's notices: unread first by default, filters by plan and kind, paging (no silent cap), mark read one or all. */
@ApiExcludeController()
@Controller('notifications')
@UseGuards(WebCsrfGuard)
@UseFilters(WebExceptionFilter)
export class NotificationsPageController {
  constructor(
    @Inject(NotificationsService) private readonly notices: NotificationsService,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(PlanDirectory) private readonly plans: PlanDirectory,
    @Inject(WebPages) private readonly pages: WebPages,
  ) {}

  @Get()
  async page(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser) {
    const { lang, t } = this.pages.context(req, res);
    const q = req.query as Record<string, unknown>;
    const errors: string[] = [];
    const pick = <T extends string>(field: string, allowed: readonly T[], fallback: T | undefined): T | undefined => {
      const v = typeof q[field] === 'string' && q[field] !== '' ? (q[field] as string) : undefined;
      if (v === undefined) return fallback;
      if ((allowed as readonly string[]).includes(v)) return v as T;
      errors.push(t('inbox.error', { field: t(`notifications.field.${field}` as never), reason: t('inbox.error.choice') }));
      return fallback;
    };
    const planKeys = await this.notices.plans(user);
    const show = pick('show', SHOWS, 'all')!;
    const kind = pick('kind', NOTICE_KINDS, undefined);
    const plan = pick('plan', planKeys, undefined);
    const pageText = typeof q.page === 'string' ? q.page : '1';
    const page = /^\d{1,6}$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : (errors.push(t('inbox.error', { field: t('inbox.field.page'), reason: t('inbox.error.page') })), 1);
    const filter: NoticeFilter = { unread: show === 'all' ? undefined : show === 'unread', kind, plan, page, pageSize: PAGE_SIZE };
    const { total, items } = await this.notices.list(user, filter);
    const assignments = items.length ? await this.db.getRepository(AssignmentEntity).findBy({ id: In([...new Set(items.map((n) => n.assignmentId))]) }) : [];
    const byId = new Map(assignments.map((a) => [a.id, a]));
    const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const href = (change: Record<string, string | number | undefined>) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries({ show, kind, plan, page, ...change })) if (v !== undefined && v !== '') params.set(k, String(v));
      return `/notifications?${params.toString()}`;
    };
    const planOptions = [];
    for (const key of planKeys) planOptions.push({ key, number: (await this.plans.ofKey(key))?.number ?? key });
    this.pages.render(
      req,
      res,
      'notifications',
      {
        title: t('notifications.title'),
        errors,
        notices: items.map((n) => noticeView(n, byId.get(n.assignmentId), lang)),
        filter: { show, kind, plan },
        options: { shows: SHOWS.map((s) => ({ value: s, label: t(`notifications.show.${s}` as never) })), kinds: NOTICE_KINDS.map((k) => ({ value: k, label: noticeKindLabel(k, lang) })), plans: planOptions },
        total,
        paging: {
          page,
          pageCount,
          from: total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1,
          to: Math.min(total, page * PAGE_SIZE),
          prev: page > 1 ? href({ page: page - 1 }) : undefined,
          next: page < pageCount ? href({ page: page + 1 }) : undefined,
        },
        back: href({}),
      },
      errors.length ? 400 : 200,
    );
  }

  @Post('read-all')
  async readAll(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser) {
    const { t } = this.pages.context(req, res);
    const n = await this.notices.markAllRead(user);
    this.pages.flash(res, { kind: 'ok', text: t('notifications.markedAll', { n }) });
    res.redirect(303, backTo(req));
  }

  @Post(':id/read')
  async read(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string) {
    const { t } = this.pages.context(req, res);
    await this.notices.markRead(user, id);
    this.pages.flash(res, { kind: 'ok', text: t('notifications.marked') });
    res.redirect(303, backTo(req));
  }

  /**
   * Notices whose e-mail did not reach anyone, for the Standing Office: refused for good by
   * the SMTP server or no address in the unit (will not be retried), or refused for now
   * (being retried). The in-app notice exists in every case.
   */
  @Get('undeliverable')
  @Roles('standing-office', 'administrator', 'auditor')
  async undeliverable(@Req() req: WebRequest, @Res() res: Response) {
    const { lang, t } = this.pages.context(req, res);
    const notices = await this.db
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .where('n.email_failed_at IS NOT NULL OR (n.emailed_at IS NULL AND n.email_error IS NOT NULL)')
      .orderBy('n.created_at', 'DESC')
      .take(200)
      .getMany();
    this.pages.render(req, res, 'notifications-undeliverable', { title: t('undeliverable.title'), notices, kindLabel: (kind: string) => noticeKindLabel(kind, lang) });
  }
}

/** Back to the list the form was on (only our own notifications page, never an outside address). */
function backTo(req: WebRequest): string {
  const back = (req.body as Record<string, unknown> | undefined)?.back;
  return typeof back === 'string' && /^\/notifications(\?[\w=&%.\-+]*)?$/.test(back) ? back : '/notifications';

}
