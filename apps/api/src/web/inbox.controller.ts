import { Controller, Get, Inject, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { User, type CurrentUser } from '../auth/current-user';
import { DeadlineStatus } from './deadline-status';
import { InboxService } from './inbox.service';
import { PlanDirectory } from './plan-directory';
import { WebExceptionFilter } from './web-exception.filter';
import { WebPages } from './web-pages';
import type { WebRequest } from './web-request';

/** The start page: what waits on me, most urgent first. */
@ApiExcludeController()
@Controller()
@UseFilters(WebExceptionFilter)
export class InboxController {
  constructor(
    @Inject(InboxService) private readonly inbox: InboxService,
    @Inject(DeadlineStatus) private readonly status: DeadlineStatus,
    @Inject(PlanDirectory) private readonly plans: PlanDirectory,
    @Inject(WebPages) private readonly pages: WebPages,
  ) {}

  @Get()
  async page(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser) {
    const { lang, t } = this.pages.context(req, res);
    const inbox = await this.inbox.of(user);
    const planKeys = new Set([...(inbox.approvals ?? []).map((a) => a.assignment.planKey), ...(inbox.open ?? []).map((a) => a.planKey), ...(inbox.awaiting ?? []).map((a) => a.planKey)]);
    const names = new Map<string, (code: string) => string>();
    for (const key of planKeys) {
      const plan = await this.plans.ofKey(key);
      if (plan) names.set(key, plan.unitName);
    }
    const unitName = (planKey: string, code: string) => names.get(planKey)?.(code) ?? code;
    const withStatus = <T extends { planKey: string; leadUnit: string }>(row: T & Parameters<DeadlineStatus['of']>[0]) => ({
      row,
      status: this.status.of(row, lang, t),
      unitName: unitName(row.planKey, row.leadUnit),
    });
    this.pages.render(req, res, 'inbox', {
      title: t('inbox.title'),
      approvals: inbox.approvals?.map((a) => ({ ...withStatus(a.assignment), approval: a.approval, delegated: a.delegated })),
      open: inbox.open?.map(withStatus),
      awaiting: inbox.awaiting?.map(withStatus),
    });
  }
}
