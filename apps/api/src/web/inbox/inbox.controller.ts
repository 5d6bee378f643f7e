import { Controller, Get, Inject, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { STATUS_LABELS } from '@dieu-hanh/domain';
import { User, type CurrentUser } from '../../auth/current-user';
import { DeadlineStatus } from '../deadline-status';
import { PeopleDirectory, type PersonRef } from '../people-directory';
import { PlanDirectory } from '../plan-directory';
import { WebExceptionFilter } from '../web-exception.filter';
import { WebPages } from '../web-pages';
import type { WebRequest } from '../web-request';
import type { Lang, Translate } from '../i18n/i18n';
import { KIND_OPTIONS, PAGE_SIZES, SORTS, STATUS_OPTIONS, inboxHref, parseInboxQuery } from './inbox-query.form';
import { InboxService, queuesFor, type InboxPage, type InboxRow } from './inbox.service';
import { groupByPlan, inboxRow } from './inbox.view';
import { PlansToLaunch } from './plans-to-launch';

/** How many sent-back items the drafter's page puts above everything else. */
const SENT_BACK_ON_TOP = 10;

/** The start page: what waits on me, by queue, with counts, filters, grouping by plan, sorting and paging. */
@ApiExcludeController()
@Controller()
@UseFilters(WebExceptionFilter)
export class InboxController {
  constructor(
    @Inject(InboxService) private readonly inbox: InboxService,
    @Inject(DeadlineStatus) private readonly status: DeadlineStatus,
    @Inject(PlanDirectory) private readonly plans: PlanDirectory,
    @Inject(PeopleDirectory) private readonly people: PeopleDirectory,
    @Inject(PlansToLaunch) private readonly toLaunch: PlansToLaunch,
    @Inject(WebPages) private readonly pages: WebPages,
  ) {}

  @Get()
  async page(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser) {
    const { lang, t } = this.pages.context(req, res);
    const queues = queuesFor(user);
    if (queues.length === 0) return this.pages.render(req, res, 'inbox', { title: t('inbox.title'), queues: [] });
    const { query, errors } = parseInboxQuery(req.query as Record<string, unknown>, queues);
    const now = new Date();
    const [counts, found, options, toLaunch] = await Promise.all([this.inbox.counts(user, queues), this.inbox.page(user, query, now), this.inbox.options(user, query.queue), this.toLaunch.of(user)]);
    const sentBack =
      queues.includes('sent-back') && query.queue !== 'sent-back' && counts['sent-back'] > 0
        ? await this.inbox.page(user, { queue: 'sent-back', sort: 'deadline', page: 1, pageSize: SENT_BACK_ON_TOP }, now)
        : undefined;
    const unitNames = await this.unitNames(options.plans.map((p) => p.key));
    const view = await this.rows([found, ...(sentBack ? [sentBack] : [])], lang, t, now, unitNames);
    const pageCount = Math.max(1, Math.ceil(found.total / query.pageSize));
    this.pages.render(
      req,
      res,
      'inbox',
      {
        title: t('inbox.title'),
        query,
        errors: errors.map((e) => t('inbox.error', { field: t(`inbox.field.${e.field}` as never), reason: t(e.reason as never) })),
        queues: queues.map((id) => ({ id, label: t(`inbox.queue.${id}` as never), count: counts[id], href: inboxHref(query, { queue: id, page: 1, status: undefined, plan: undefined, unit: undefined, period: undefined, kind: undefined }), current: id === query.queue })),
        groups: groupByPlan(view(found)),
        toLaunch,
        total: found.total,
        sentBack: sentBack ? { rows: view(sentBack), more: counts['sent-back'] - sentBack.rows.length, href: inboxHref(query, { queue: 'sent-back', page: 1 }) } : undefined,
        options: {
          plans: options.plans,
          units: options.units.map((code) => ({ code, name: unitNames.get(code) ?? code })),
          periods: options.periods.map((p) => ({ value: p, label: `${p.slice(5)}/${p.slice(0, 4)}` })),
          kinds: KIND_OPTIONS.map((k) => ({ value: k, label: t(`kind.${k}` as never) })),
          statuses: STATUS_OPTIONS.map((s) => ({ value: s, label: STATUS_LABELS[s][lang] })),
          sorts: SORTS.map((s) => ({ value: s, label: t(`inbox.sort.${s}` as never) })),
          pageSizes: PAGE_SIZES,
        },
        paging: {
          page: query.page,
          pageCount,
          from: found.total === 0 ? 0 : (query.page - 1) * query.pageSize + 1,
          to: Math.min(found.total, query.page * query.pageSize),
          prev: query.page > 1 ? inboxHref(query, { page: query.page - 1 }) : undefined,
          next: query.page < pageCount ? inboxHref(query, { page: query.page + 1 }) : undefined,
          first: query.page > 1 ? inboxHref(query, { page: 1 }) : undefined,
          last: query.page < pageCount ? inboxHref(query, { page: pageCount }) : undefined,
        },
      },
      errors.length ? 400 : 200,
    );
  }

  /** Unit names from every plan in the queue (units are data of each plan). */
  private async unitNames(planKeys: Iterable<string>): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const key of new Set(planKeys)) for (const u of (await this.plans.ofKey(key))?.units ?? []) names.set(u.code, u.name);
    return names;
  }

  /** Rows of one or more pages in the page's words: unit names from each plan, people by name and position. */
  private async rows(pages: InboxPage[], lang: Lang, t: Translate, now: Date, unitNames: Map<string, string>) {
    const all: InboxRow[] = pages.flatMap((p) => p.rows);
    const names = new Map<string, (code: string) => string>();
    for (const key of new Set(all.map((r) => r.planKey))) {
      const plan = await this.plans.ofKey(key);
      if (plan) names.set(key, plan.unitName);
    }
    const unitName = (planKey: string, code: string) => names.get(planKey)?.(code) ?? code;
    const mentioned: PersonRef[] = all.flatMap((r) => [
      ...r.state.submissions.flatMap((s) => (s.decidedBy ? [s.by, s.decidedBy] : [s.by])),
      ...r.state.extensions.map((x) => x.requestedBy),
    ]);
    const person = await this.people.namer(mentioned, (code) => unitNames.get(code) ?? code);
    const waited = pages.flatMap((p) => [...p.open.values()].flatMap((a) => (a.currentUnit ? [a.currentUnit] : [])));
    const holders = await this.people.holders([...waited, ...all.flatMap((r) => (r.state.waits ?? []).map((w) => w.unit))]);
    return (page: InboxPage) =>
      page.rows.map((row) =>
        inboxRow(row, {
          lang,
          t,
          status: this.status,
          unitName,
          person,
          approvals: page.approvals,
          open: page.open,
          wait: { lang, t, now, status: this.status, unitName: (code) => unitName(row.planKey, code), holders },
          now,
        }),
      );
  }
}
