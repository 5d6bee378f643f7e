import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AssignmentsService } from '../../assignments/assignments.service';
import { RefusalLog } from '../../audit/refusal-log';
import { User, type CurrentUser } from '../../auth/current-user';
import { AppError, AppErrorCode } from '../../common/app-error';
import { PlansService } from '../../plans/plans.service';
import { ExtensionForms } from '../extension/extension-forms.service';
import { matrixWorkbook } from './matrix-workbook';
import { PlanDashboardService } from './plan-dashboard.service';
import { WebCsrfGuard } from '../web-csrf';
import { WebExceptionFilter } from '../web-exception.filter';
import { ExtensionDecisionForm } from '../web-forms.dto';
import { WebPages } from '../web-pages';
import type { WebRequest } from '../web-request';

/** Plans, and each plan's dashboard (tasks × units, statistics, overdue, escalations, extensions). */
@ApiExcludeController()
@Controller('plans')
@UseGuards(WebCsrfGuard)
@UseFilters(WebExceptionFilter)
export class PlanDashboardController {
  constructor(
    @Inject(PlansService) private readonly plans: PlansService,
    @Inject(PlanDashboardService) private readonly dashboards: PlanDashboardService,
    @Inject(AssignmentsService) private readonly assignments: AssignmentsService,
    @Inject(ExtensionForms) private readonly extensionForms: ExtensionForms,
    @Inject(WebPages) private readonly pages: WebPages,
    @Inject(RefusalLog) private readonly refusals: RefusalLog,
  ) {}

  @Get()
  async list(@Req() req: WebRequest, @Res() res: Response) {
    const { t } = this.pages.context(req, res);
    const all = await this.plans.list();
    // A version not launched while another version of its plan runs is an amendment to look at.
    const plans = all.map((p) => ({ id: p.id, key: p.key, title: p.title, launchedAt: p.launchedAt, amends: !p.launchedAt && all.some((q) => q.code === p.code && q.launchedAt) }));
    this.pages.render(req, res, 'plans', { title: t('plans.title'), plans });
  }

  @Get(':id')
  dashboard(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.show(req, res, user, id);
  }

  /** The Standing Office grants or refuses a pending extension from the dashboard's list. */
  @Post(':id/extension-decisions')
  async decideExtension(
    @Req() req: WebRequest,
    @Res() res: Response,
    @User() user: CurrentUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: ExtensionDecisionForm,
  ) {
    const { t } = this.pages.context(req, res);
    const plan = await this.plans.get(id);
    const row = await this.assignments.get(user, form.assignmentId);
    if (row.planKey !== plan.key) throw new AppError(AppErrorCode.VALIDATION, `${form.assignmentId} is not an assignment of ${plan.key}`);
    const outcome = await this.extensionForms.decide(user, row, form, t);
    if (!outcome.ok) this.refusals.noteInPage(req, outcome.refused, row.id);
    if (outcome.ok) {
      this.pages.flash(res, { kind: 'ok', text: outcome.flash });
      return res.redirect(303, `/plans/${id}#h-ext`);
    }
    const extensionDecision = { requestId: form.requestId, errors: outcome.errors, message: outcome.message, comment: form.comment, date: form.date };
    await this.show(req, res, user, id, { extensionDecision, pageError: outcome.message }, outcome.status);
  }

  @Get(':id/matrix.xlsx')
  async matrix(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string) {
    const { lang, t } = this.pages.context(req, res);
    const board = await this.dashboards.load(user, id, lang, t);
    const body = await matrixWorkbook(board, lang, t);
    res
      .status(200)
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .setHeader('content-disposition', `attachment; filename="${board.plan.key.replace(/[^\w.@-]+/g, '_')}-ma-tran.xlsx"`);
    res.setHeader('cache-control', 'no-store');
    res.send(body);
  }

  private async show(req: WebRequest, res: Response, user: CurrentUser, id: string, extra: Record<string, unknown> = {}, httpStatus = 200) {
    const { lang, t } = this.pages.context(req, res);
    // ?esc=N: the page of grouped escalations; ?matrix=N: the page of the matrix's rows (a bad value shows the first page).
    const pageAsked = (name: string) => {
      const n = Number(req.query[name]);
      return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
    };
    const board = await this.dashboards.load(user, id, lang, t, new Date(), pageAsked('esc'), pageAsked('matrix'));
    this.pages.render(
      req,
      res,
      'plan-dashboard',
      { title: t('dashboard.title', { title: board.plan.title }), board, decidesExtensions: user.roles.includes('standing-office'), ...extra },
      httpStatus,
    );
  }
}
