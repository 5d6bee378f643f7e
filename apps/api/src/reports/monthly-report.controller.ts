import { Controller, Get, Inject, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../auth/roles.guard';
import { MonthlyReportQuery } from './monthly-report.dto';
import { MonthlyReportService } from './monthly-report.service';
import { monthlyReportFileName, monthlyReportWorkbook } from './monthly-report-workbook';
import { ApiErrors } from '../common/api-contract';
import { AppErrorCode } from '../common/app-error';
import { MonthlyReportDto } from './monthly-report.responses';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The monthly consolidated report for the Standing Office (III.6), as JSON and as XLSX. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/plans')
export class MonthlyReportController {
  constructor(@Inject(MonthlyReportService) private readonly reports: MonthlyReportService) {}

  /** Each monthly-report duty's assignment for the period: status, deadlines, the report, difficulties; and totals. */
  @Get(':id/monthly-report')
  @Roles('standing-office', 'approver', 'auditor', 'administrator')
  @ApiOkResponse({ type: MonthlyReportDto })
  @ApiErrors([AppErrorCode.VALIDATION, AppErrorCode.NOT_FOUND], { 400: 'period is not yyyy-mm' })
  report(@Param('id', ParseUUIDPipe) id: string, @Query() query: MonthlyReportQuery) {
    return this.reports.report(id, query.period);
  }

  /** The same report as an XLSX workbook, Vietnamese headings, dates dd/mm/yyyy. */
  @Get(':id/monthly-report.xlsx')
  @Roles('standing-office', 'approver', 'auditor', 'administrator')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'The workbook', schema: { type: 'string', format: 'binary' } })
  @ApiErrors([AppErrorCode.VALIDATION, AppErrorCode.NOT_FOUND], { 400: 'period is not yyyy-mm' })
  async workbook(@Param('id', ParseUUIDPipe) id: string, @Query() query: MonthlyReportQuery, @Res() res: Response) {
    const report = await this.reports.report(id, query.period);
    const body = await monthlyReportWorkbook(report);
    res.status(200).type(XLSX_TYPE).setHeader('content-disposition', `attachment; filename="${monthlyReportFileName(report)}"`);
    res.setHeader('cache-control', 'no-store');
    res.send(body);
  }
}
