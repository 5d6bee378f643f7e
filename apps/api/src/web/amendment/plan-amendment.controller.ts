import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsOptional, IsString, Length } from 'class-validator';
import { User, type CurrentUser } from '../../auth/current-user';
import { AppError } from '../../common/app-error';
import { PlanChangesService } from '../../plans/plan-changes.service';
import { PlansService } from '../../plans/plans.service';
import { WebCsrfGuard } from '../web-csrf';
import { WebExceptionFilter } from '../web-exception.filter';
import { CsrfForm } from '../web-forms.dto';
import { WebPages } from '../web-pages';
import type { WebRequest } from '../web-request';

export class AmendmentForm extends CsrfForm {
  @IsString()
  @Length(0, 5000)
  reason!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  inForce?: string;
}

/**
 * The Standing Office's page for an amendment: what a new version of a running plan
 * changes, and a form to confirm it. The same service as the API does the work.
 */
@ApiExcludeController()
@Controller('plans')
@UseGuards(WebCsrfGuard)
@UseFilters(WebExceptionFilter)
export class PlanAmendmentController {
  constructor(
    @Inject(PlansService) private readonly plans: PlansService,
    @Inject(PlanChangesService) private readonly changes: PlanChangesService,
    @Inject(WebPages) private readonly pages: WebPages,
  ) {}

  @Get(':id/amendment')
  page(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.show(req, res, user, id);
  }

  @Post(':id/amendment')
  async apply(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string, @Body() form: AmendmentForm) {
    const { t } = this.pages.context(req, res);
    const reason = form.reason.trim();
    if (reason.length < 3) return this.show(req, res, user, id, { reason: form.reason, errors: { reason: t('amendment.reasonRequired') } }, 400);
    try {
      const applied = await this.changes.apply(user, id, { reason, ...(form.inForce ? { inForce: form.inForce } : {}) });
      this.pages.flash(res, { kind: 'ok', text: t('amendment.applied', { plan: applied.plan }) });
      const running = (await this.plans.list()).find((p) => p.key === applied.amends);
      return res.redirect(303, running ? `/plans/${running.id}` : `/plans/${id}/amendment`);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return this.show(req, res, user, id, { reason: form.reason, pageError: err.message }, err.reason === 'STALE_PREVIEW' || err.reason === 'ALREADY_APPLIED' ? 409 : 403);
    }
  }

  private async show(req: WebRequest, res: Response, user: CurrentUser, id: string, extra: Record<string, unknown> = {}, status = 200) {
    const { t } = this.pages.context(req, res);
    const preview = await this.changes.requirePreview(id);
    const canApply = user.roles.includes('standing-office') && !preview.appliedAt;
    this.pages.render(req, res, 'plan-amendment', { title: t('amendment.title', { plan: preview.plan }), id, preview, canApply, ...extra }, status);
  }
}
