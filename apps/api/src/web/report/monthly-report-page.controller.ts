import { Controller, Get, Inject, Param, ParseUUIDPipe, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { isYearMonth, parsePeriodKey, periodLabel, periodReportName, shiftPeriodKey } from '@dieu-hanh/domain';
import { Roles } from '../../auth/roles.guard';
import { AppError, AppErrorCode } from '../../common/app-error';
import { PlansService } from '../../plans/plans.service';
import { XLSX_TYPE } from '../../reports/monthly-report.controller';
import { MonthlyReportService } from '../../reports/monthly-report.service';
import { REPORT_STATUS_LABELS, monthlyReportFileName, monthlyReportWorkbook } from '../../reports/monthly-report-workbook';
import { localDate } from '../deadline-status';
import { parseMonth } from '../extension/extension-form';
import { WebExceptionFilter } from '../web-exception.filter';
import { WebPages } from '../web-pages';
import type { WebRequest } from '../web-request';

/** A month as people type it (03/2020, 2020-03), or any report period key (2021-Q1, 2021-H2, 2021). */
function parsePeriod(typed: unknown): string | undefined {
  const month = parseMonth(typed);
  if (month) return month;
  return typeof typed === 'string' && parsePeriodKey(typed.trim()) ? typed.trim() : undefined;
}

const READERS = ['standing-office', 'approver', 'auditor', 'administrator'] as const;

/**
 * The monthly consolidated report (III.6) for the Standing Office: one period at a time,
 * picked by month (this month by default), with its XLSX. The web twin of
 * GET /api/plans/{id}/monthly-report, for the session cookie the API does not take.
 */
@ApiExcludeController()
@Controller('plans')
@UseFilters(WebExceptionFilter)
export class MonthlyReportPageController {
  constructor(
    @Inject(MonthlyReportService) private readonly reports: MonthlyReportService,
    @Inject(PlansService) private readonly plans: PlansService,
    @Inject(WebPages) private readonly pages: WebPages,
  ) {}

  @Get(':id/monthly-report')
  @Roles(...READERS)
  async page(@Req() req: WebRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Query('period') typed?: unknown) {
    const { lang, t } = this.pages.context(req, res);
    const asked = typed === undefined || typed === '' ? localDate().slice(0, 7) : parsePeriod(typed);
    if (!asked) {
      const plan = await this.plans.get(id);
      this.pages.render(
        req,
        res,
        'monthly-report',
        { title: t('report.title.plain'), plan: { id: plan.id, title: plan.title }, typed, periodError: t('report.error.period', { value: String(typed) }) },
        400,
      );
      return;
    }
    const report = await this.reports.report(id, asked);
    const rows = report.rows.map((r) => ({ ...r, statusView: { code: r.status, label: REPORT_STATUS_LABELS[r.status][lang] } }));
    const month = isYearMonth(asked);
    this.pages.render(req, res, 'monthly-report', {
      title: t('report.title.period', { period: periodLabel(asked, lang) }),
      plan: report.plan,
      report,
      rows,
      // The picker is a month input; another period shows as the month it starts in is not.
      typed: month ? asked : '',
      monthLabel: periodLabel(asked, lang),
      reportName: periodReportName(asked, lang),
      previous: shiftPeriodKey(asked, -1),
      next: shiftPeriodKey(asked, 1),
    });
  }

  @Get(':id/monthly-report.xlsx')
  @Roles(...READERS)
  async workbook(@Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Query('period') typed?: unknown) {
    const period = parsePeriod(typed);
    if (!period) {
      throw new AppError(AppErrorCode.VALIDATION, 'period must be a report period', undefined, [
        { field: 'period', reason: 'phải là kỳ báo cáo: yyyy-mm, yyyy-Qn, yyyy-Hn, yyyy hoặc yyyy-Www / must be yyyy-mm, yyyy-Qn, yyyy-Hn, yyyy or yyyy-Www' },
      ]);
    }
    const report = await this.reports.report(id, period);
    const body = await monthlyReportWorkbook(report);
    res.status(200).type(XLSX_TYPE).setHeader('content-disposition', `attachment; filename="${monthlyReportFileName(report)}"`);
    res.setHeader('cache-control', 'no-store');
    res.send(body);
  }
}
