import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { User, type CurrentUser } from '../../auth/current-user';
import { Roles } from '../../auth/roles.guard';
import { AppError, AppErrorCode } from '../../common/app-error';
import { PlanChangesService } from '../../plans/plan-changes.service';
import { PlansService } from '../../plans/plans.service';
import { inPageRefusal } from '../web-errors';
import { WebCsrfGuard } from '../web-csrf';
import { WebExceptionFilter } from '../web-exception.filter';
import { WebPages } from '../web-pages';
import type { WebRequest } from '../web-request';
import { PlanCloseForm, PlanImportForm, PlanLaunchForm } from './plan-forms';
import { PlanImportService } from './plan-import.service';

const PLAN_ADMINS = ['administrator', 'standing-office'] as const;

/**
 * The Standing Office's plan work in the browser (before, only the API could): import a plan
 * file (chosen or pasted; its problems shown against the lines of the file), launch it,
 * close it. Registered before the dashboard, whose /plans/:id would take /plans/import.
 */
@ApiExcludeController()
@Controller('plans')
@UseGuards(WebCsrfGuard)
@UseFilters(WebExceptionFilter)
export class PlanAdminController {
  constructor(
    @Inject(PlanImportService) private readonly imports: PlanImportService,
    @Inject(PlansService) private readonly plans: PlansService,
    @Inject(PlanChangesService) private readonly changes: PlanChangesService,
    @Inject(WebPages) private readonly pages: WebPages,
  ) {}

  @Get('import')
  @Roles(...PLAN_ADMINS)
  form(@Req() req: WebRequest, @Res() res: Response) {
    const { t } = this.pages.context(req, res);
    this.pages.render(req, res, 'plan-import', { title: t('planImport.title') });
  }

  @Post('import')
  @Roles(...PLAN_ADMINS)
  async import(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Body() form: PlanImportForm) {
    const { t } = this.pages.context(req, res);
    const files = Array.isArray(req.files) ? req.files : [];
    const show = (status: number, data: Record<string, unknown>) => this.pages.render(req, res, 'plan-import', { title: t('planImport.title'), definition: form.definition, ...data }, status);
    if (files.length > 1 || (files.length === 1 && form.definition)) return show(400, { error: t('planImport.oneSource') });
    let text = form.definition;
    if (files.length === 1) {
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(files[0].buffer).replace(/^\uFEFF/, '');
      } catch {
        return show(400, { error: t('planImport.notUtf8', { name: files[0].originalname }) });
      }
    }
    if (!text?.trim()) return show(400, { error: t('planImport.nothing') });
    const outcome = await this.imports.import(user, text);
    if (!outcome.ok) return show(400, { error: t('planImport.problems', { n: outcome.problems.length }), problems: outcome.problems, fileName: files[0]?.originalname });
    this.pages.flash(res, { kind: 'ok', text: t(outcome.created ? 'planImport.done' : 'planImport.same', { key: outcome.plan.key }) });
    res.redirect(303, '/plans');
  }

  @Post(':id/launch')
  @Roles(...PLAN_ADMINS)
  async launch(@Req() req: WebRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Body() _form: PlanLaunchForm) {
    const { t } = this.pages.context(req, res);
    try {
      const plan = await this.plans.get(id);
      const launched = await this.plans.launch(id);
      this.pages.flash(res, { kind: 'ok', text: t('planAdmin.launched', { key: plan.key, n: launched.assignments }) });
      res.redirect(303, `/plans/${id}`);
    } catch (err) {
      this.refuse(res, err, t);
    }
  }

  /** The rest of a partial launch (the inbox's "plans to launch"): every assignment not running yet; none starts twice. */
  @Post(':id/launch-more')
  @Roles(...PLAN_ADMINS)
  async launchMore(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string, @Body() _form: PlanLaunchForm) {
    const { t } = this.pages.context(req, res);
    try {
      const plan = await this.plans.get(id);
      await this.changes.launchMore(user, id, {});
      this.pages.flash(res, { kind: 'ok', text: t('planAdmin.launchedMore', { key: plan.key }) });
      res.redirect(303, `/plans/${id}`);
    } catch (err) {
      this.refuse(res, err, t);
    }
  }

  @Post(':id/close')
  @Roles(...PLAN_ADMINS)
  async close(@Req() req: WebRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Body() form: PlanCloseForm) {
    const { t } = this.pages.context(req, res);
    try {
      if (!form.reason.trim()) throw new AppError(AppErrorCode.VALIDATION, t('planAdmin.reasonNeeded'), 'REASON_REQUIRED');
      const plan = await this.plans.get(id);
      await this.plans.close(id, form.reason.trim());
      this.pages.flash(res, { kind: 'ok', text: t('planAdmin.closing', { key: plan.key }) });
      res.redirect(303, '/plans');
    } catch (err) {
      this.refuse(res, err, t);
    }
  }

  /** A refusal (already launched, never launched, no reason) goes back to the list as a message. */
  private refuse(res: Response, err: unknown, t: ReturnType<WebPages['context']>['t']): void {
    const refusal = inPageRefusal(err, t);
    if (!refusal) throw err;
    const reason = err instanceof AppError ? err.reason : undefined;
    const text = reason === 'ALREADY_LAUNCHED' ? t('planAdmin.alreadyLaunched') : reason === 'NOT_LAUNCHED' ? t('planAdmin.notLaunched') : reason === 'REASON_REQUIRED' ? t('planAdmin.reasonNeeded') : refusal.message;
    this.pages.flash(res, { kind: 'error', text });
    res.redirect(303, '/plans');
  }
}
