import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import type { Request, Response } from 'express';
import { Roles } from '../auth/roles.guard';
import { AllowAuditor, User, type CurrentUser } from '../auth/current-user';
import { AppError, AppErrorCode } from '../common/app-error';
import { AuditService } from './audit.service';
import { readImportBody } from './import-body';
import { ApiErrors } from '../common/api-contract';
import { ArchiveEntryDto, ArchiveVerifyDto, HistoryChainDto, ImportResultDto, PlanVerifyDto, PlanWorkflowsDto, RefusalDto, ReplayResultDto, StateAtEventDto, TimelineDto } from './audit.responses';

/** Who may audit: the auditors (Ủy ban Kiểm tra), administrators, and the Standing Office that tracks everything. */
export const AUDIT_ROLES = ['auditor', 'administrator', 'standing-office'] as const;

const eventIdParam = (value: string | undefined): number => {
  const n = Number(value);
  if (!value || !Number.isInteger(n) || n < 1) {
    throw new AppError(AppErrorCode.VALIDATION, 'eventId must be a positive integer', undefined, [{ field: 'eventId', reason: 'a history event id (1, 2, …)' }]);
  }
  return n;
};
/** Filters of the archive list (unpaged: README, "Lists"); any other parameter is a 400. */
export class ArchiveQuery {
  @ApiPropertyOptional({ description: 'Only this workflow\'s runs' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  workflowId?: string;
}

const langParam = (value: string | undefined): 'vi' | 'en' => (value === 'en' ? 'en' : 'vi');

/**
 * Auditors' JSON API. GETs read; the POSTs verify and import, which change no workflow,
 * so auditors may call them. `:id` is a workflow id or an import id (`import:<uuid>`).
 */
@ApiTags('audit')
@ApiBearerAuth()
@Roles(...AUDIT_ROLES)
@AllowAuditor()
// Every audit view is recorded first (audit access log): when it cannot be recorded, the view is refused.
@ApiErrors([AppErrorCode.UNAVAILABLE], { 503: 'the audit access log could not record this access' })
@Controller('api/audit')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  /** One run's history in exactly the shape `temporal workflow show --output json` writes (the latest run unless runId). */
  @Get('workflows/:id/history')
  @ApiOkResponse({ description: 'The history file (attachment), `{ events: [...] }` as the Temporal CLI writes it; header x-history-source names where it came from', schema: { type: 'object', required: ['events'], properties: { events: { type: 'array', items: { type: 'object', additionalProperties: true } } } } })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.UNAVAILABLE])
  async history(@Param('id') id: string, @Query('runId') runId: string | undefined, @Res() res: Response) {
    const chain = await this.audit.history(id);
    const run = runId ? chain.runs.find((r) => r.runId === runId) : chain.runs.at(-1);
    if (!run) throw new AppError(AppErrorCode.NOT_FOUND, `workflow ${id} has no run ${runId}`);
    const file = `${chain.workflowId}_${run.runId}.json`.replace(/[^A-Za-z0-9._-]+/g, '_');
    res.setHeader('content-disposition', `attachment; filename="${file}"`);
    res.setHeader('x-history-source', chain.source);
    res.type('application/json').send(JSON.stringify(run.history, null, 2));
  }

  /** Every run of the workflow (continue-as-new followed), with where the history came from. */
  @Get('workflows/:id/chain')
  @ApiOkResponse({ type: HistoryChainDto })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.UNAVAILABLE])
  chain(@Param('id') id: string) {
    return this.audit.history(id);
  }

  @Get('workflows/:id/timeline')
  @ApiOkResponse({ type: TimelineDto })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.UNAVAILABLE])
  timeline(@Param('id') id: string, @Query('lang') lang?: string) {
    return this.audit.timeline(id, langParam(lang));
  }

  @Get('workflows/:id/state')
  @ApiOkResponse({ type: StateAtEventDto })
  @ApiErrors([AppErrorCode.VALIDATION, AppErrorCode.NOT_FOUND, AppErrorCode.UNAVAILABLE], { 400: 'eventId is not a positive integer' })
  state(@Param('id') id: string, @Query('eventId') eventId?: string, @Query('runId') runId?: string) {
    return this.audit.stateAt(id, eventIdParam(eventId), runId || undefined);
  }

  @Get('workflows/:id/refusals')
  @ApiOkResponse({ type: [RefusalDto], description: 'Refused actions on the workflow (Temporal keeps no trace of a refused Update)' })
  refusals(@Param('id') id: string) {
    return this.audit.refusals(id);
  }

  /** Replays the workflow's history against today's workflow code. */
  @Post('workflows/:id/verify')
  @HttpCode(200)
  @ApiOkResponse({ type: ReplayResultDto })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.UNAVAILABLE])
  verify(@Param('id') id: string) {
    return this.audit.verify(id);
  }

  /** The workflows of a plan (by plan code or key), so a page can verify them one by one and show progress. */
  @Get('plans/:code/workflows')
  @ApiOkResponse({ type: PlanWorkflowsDto })
  @ApiErrors([AppErrorCode.NOT_FOUND])
  async planWorkflows(@Param('code') code: string) {
    return { plan: code, workflowIds: await this.audit.planWorkflowIds(code) };
  }

  /** Replays every workflow of a plan (by plan code or key); answers a results table. */
  @Post('plans/:code/verify')
  @HttpCode(200)
  @ApiOkResponse({ type: PlanVerifyDto })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.UNAVAILABLE])
  async verifyPlan(@Param('code') code: string) {
    const results = await this.audit.verifyPlan(code);
    return { plan: code, ok: results.every((r) => r.ok), checked: results.length, results };
  }

  /**
   * Imports a history file: what `temporal workflow show --output json` writes (or our
   * export). JSON bodies up to the API's limit; larger files as application/octet-stream.
   */
  @Post('imports')
  @HttpCode(201)
  @ApiCreatedResponse({ type: ImportResultDto })
  @ApiErrors([AppErrorCode.VALIDATION], { 400: 'not a workflow history file' })
  async import(@User() user: CurrentUser, @Req() req: Request, @Body() body: unknown, @Query('workflowId') workflowId?: string) {
    const json = await readImportBody(req, body);
    const chain = await this.audit.importHistory(workflowId ? { workflowId, history: json } : json, user.username);
    return { importId: chain.importId, workflowId: chain.workflowId, workflowType: chain.workflowType, runs: chain.runs.map((r) => ({ runId: r.runId, events: r.history.events.length })) };
  }

  /** Recomputes the archive's digest chain; names the first entry that does not match. */
  @Get('archive/verify')
  @ApiOkResponse({ type: ArchiveVerifyDto })
  verifyArchive() {
    return this.audit.verifyArchive();
  }

  @Get('archive')
  @ApiOkResponse({ type: [ArchiveEntryDto], description: 'Archived runs, oldest first' })
  archive(@Query() query: ArchiveQuery) {
    return this.audit.archiveEntries(query.workflowId);
  }
}
