import { Controller, Get, Inject, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../auth/roles.guard';
import { AuditAccess } from '../../audit-log/audit-access.decorator';
import { AuditAccessLog } from '../../audit-log/audit-access-log.service';
import { AccessLogQueryDto } from '../../audit-log/audit-access-log.controller';
import { WebExceptionFilter } from '../web-exception.filter';
import { WebPages } from '../web-pages';
import type { WebRequest } from '../web-request';

/** Administrators see who viewed, exported or verified what on the audit pages and API. */
@ApiExcludeController()
@Controller('audit/access-log')
@UseFilters(WebExceptionFilter)
export class AccessLogPageController {
  constructor(
    @Inject(AuditAccessLog) private readonly log: AuditAccessLog,
    @Inject(WebPages) private readonly pages: WebPages,
  ) {}

  @Get()
  @Roles('administrator')
  @AuditAccess('access-log.view', () => '')
  async page(@Req() req: WebRequest, @Res() res: Response, @Query() query: AccessLogQueryDto) {
    const { t } = this.pages.context(req, res);
    const entries = await this.log.list(query);
    this.pages.render(req, res, 'audit-access-log', { title: t('accessLog.title'), entries, query });
  }
}
