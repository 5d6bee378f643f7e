import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { User, type CurrentUser } from '../../auth/current-user';
import { RefusalLog } from '../../audit/refusal-log';
import { OnDemandService } from '../../on-demand/on-demand.service';
import { PlansService } from '../../plans/plans.service';
import { parseDayMonthYear } from '../extension/extension-form';
import { WebCsrfGuard } from '../web-csrf';
import { inPageRefusal } from '../web-errors';
import { WebExceptionFilter } from '../web-exception.filter';
import { OpenOnDemandForm } from '../web-forms.dto';
import { WebPages } from '../web-pages';
import type { WebRequest } from '../web-request';

/**
 * Obligations a plan makes available when needed (khi cần thiết, III.4): the list, and for a
 * unit's drafter or head a form to open one (what, and the unit's own target date).
 */
@ApiExcludeController()
@Controller('plans')
@UseGuards(WebCsrfGuard)
@UseFilters(WebExceptionFilter)
export class OnDemandPageController {
  constructor(
    @Inject(OnDemandService) private readonly onDemand: OnDemandService,
    @Inject(PlansService) private readonly plans: PlansService,
    @Inject(WebPages) private readonly pages: WebPages,
    @Inject(RefusalLog) private readonly refusals: RefusalLog,
  ) {}

  @Get(':id/available')
  page(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.show(req, res, user, id);
  }

  @Post(':id/available/:obligationId')
  async open(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string, @Param('obligationId') obligationId: string, @Body() form: OpenOnDemandForm) {
    const { t } = this.pages.context(req, res);
    // People write dd/mm/yyyy; the domain checks the date itself (real, not past).
    const targetDate = parseDayMonthYear(form.targetDate.trim()) ?? form.targetDate.trim();
    try {
      const spec = await this.onDemand.open(user, id, obligationId, { subject: form.subject, targetDate });
      this.pages.flash(res, { kind: 'ok', text: t('onDemand.opened') });
      res.redirect(303, `/assignments/${encodeURIComponent(spec.id)}`);
    } catch (err) {
      const refusal = inPageRefusal(err, t);
      if (!refusal) throw err;
      this.refusals.noteInPage(req, err, id);
      await this.show(req, res, user, id, { error: { obligationId, message: refusal.message, subject: form.subject, targetDate: form.targetDate } }, refusal.status);
    }
  }

  private async show(req: WebRequest, res: Response, user: CurrentUser, id: string, extra: Record<string, unknown> = {}, status = 200) {
    const { t } = this.pages.context(req, res);
    const plan = await this.plans.get(id);
    const obligations = await this.onDemand.list(user, id);
    this.pages.render(req, res, 'on-demand', { title: t('onDemand.title'), plan: { id: plan.id, title: plan.title, launched: plan.launchedAt !== null }, obligations, ...extra }, status);
  }
}
