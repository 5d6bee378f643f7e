import { Controller, Get, Inject, Param, ParseUUIDPipe, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { User, type CurrentUser } from '../auth/current-user';
import { PlansService } from '../plans/plans.service';
import { matrixWorkbook } from './matrix-workbook';
import { PlanDashboardService } from './plan-dashboard.service';
import { WebExceptionFilter } from './web-exception.filter';
import { WebPages } from './web-pages';
import type { WebRequest } from './web-request';

/** Plans, and each plan's dashboard (tasks × units, statistics, overdue, escalations, extensions). */
@ApiExcludeController()
@Controller('plans')
@UseFilters(WebExceptionFilter)
export class PlanDashboardController {
  constructor(
    @Inject(PlansService) private readonly plans: PlansService,
    @Inject(PlanDashboardService) private readonly dashboards: PlanDashboardService,
    @Inject(WebPages) private readonly pages: WebPages,
  ) {}

  @Get()
  async list(@Req() req: WebRequest, @Res() res: Response) {
    const { t } = this.pages.context(req, res);
    const plans = (await this.plans.list()).map((p) => ({ id: p.id, key: p.key, title: p.title, launchedAt: p.launchedAt }));
    this.pages.render(req, res, 'plans', { title: t('plans.title'), plans });
  }

  @Get(':id')
  async dashboard(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string) {
    const { lang, t } = this.pages.context(req, res);
    const board = await this.dashboards.load(user, id, lang, t);
    this.pages.render(req, res, 'plan-dashboard', { title: t('dashboard.title', { title: board.plan.title }), board });
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
}
