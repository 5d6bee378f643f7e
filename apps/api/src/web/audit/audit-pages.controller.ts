import { Controller, Get, Inject, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AssignmentEntity } from '@dieu-hanh/persistence';
import { Roles } from '../../auth/roles.guard';
import { User, type CurrentUser } from '../../auth/current-user';
import { AppError, AppErrorCode } from '../../common/app-error';
import { AuditService } from '../../audit/audit.service';
import { AUDIT_ROLES } from '../../audit/audit.controller';
import type { ReplayResult } from '../../audit/audit.types';
import { AuditAccess, NotAudited } from '../../audit-log/audit-access.decorator';
import { WebExceptionFilter } from '../web-exception.filter';
import { WebPages } from '../web-pages';
import type { WebRequest } from '../web-request';
import { AuditPagesService, parseAt, type PlanRow } from './audit-pages.service';
import { DossierService } from './dossier.service';
import { safeFileName } from './dossier-zip';
import { timelinePrintHtml } from './timeline-print';
import { timelineWorkbook } from './timeline-workbook';
import { VerifyJobs } from './verify-jobs';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const param = (name: string) => (req: Request) => String((req.params as Record<string, string>)[name] ?? '');

/**
 * The auditors' pages (issue 8): find a workflow, its timeline, the state at any event,
 * replay verification (one workflow, a whole plan, the archive chain), downloads and the
 * inspection dossier. Every route is a GET (auditors change nothing; a verification
 * changes nothing either), and every one is written to the access log.
 */
@ApiExcludeController()
@Controller('audit')
@Roles(...AUDIT_ROLES)
@UseFilters(WebExceptionFilter)
export class AuditPagesController {
  constructor(
    @Inject(AuditPagesService) private readonly pagesService: AuditPagesService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(DossierService) private readonly dossiers: DossierService,
    @Inject(VerifyJobs) private readonly jobs: VerifyJobs,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(WebPages) private readonly pages: WebPages,
  ) {}

  @Get()
  @AuditAccess('audit.home', () => '')
  async home(@Req() req: WebRequest, @Res() res: Response) {
    return this.renderHome(req, res);
  }

  @Get('find')
  @AuditAccess('workflow.find', (req) => String(req.query.q ?? '').slice(0, 300))
  async find(@Req() req: WebRequest, @Res() res: Response, @Query('q') q?: string) {
    const { t } = this.pages.context(req, res);
    const query = typeof q === 'string' ? q.trim().slice(0, 300) : '';
    if (!query) return this.renderHome(req, res, { findError: t('audit.find.empty'), q: '' }, 400);
    const found = await this.pagesService.find(query);
    if (!found) return this.renderHome(req, res, { findError: t('audit.find.notFound', { q: query }), q: query }, 404);
    res.redirect(303, 'workflowId' in found ? `/audit/workflows/${encodeURIComponent(found.workflowId)}` : `/audit/plans/${encodeURIComponent(found.planKey)}`);
  }

  @Get('archive/verify')
  @AuditAccess('verify.archive', () => 'archive')
  async verifyArchive(@Req() req: WebRequest, @Res() res: Response) {
    const result = await this.audit.verifyArchive();
    const entries = await this.audit.archiveEntries().catch(() => []);
    return this.renderHome(req, res, { archiveResult: result, archiveEntries: entries.slice(0, 20) });
  }

  @Get('plans/:key')
  @AuditAccess('plan.workflows', param('key'))
  async plan(@Req() req: WebRequest, @Res() res: Response, @Param('key') key: string) {
    const { t } = this.pages.context(req, res);
    const plan = await this.planOr404(key);
    const rows = await this.pagesService.planWorkflows(plan.key);
    this.pages.render(req, res, 'audit-plan', {
      title: t('audit.plan.title', { title: plan.title }),
      plan,
      rows,
      planWorkflow: plan.workflowId ? { id: plan.workflowId, temporal: this.pagesService.temporalUrl(plan.workflowId) } : undefined,
      temporalUrl: (id: string) => this.pagesService.temporalUrl(id),
    });
  }

  /** Starts replaying every workflow of the plan in the background; its page shows the progress. */
  @Get('plans/:key/verify')
  @AuditAccess('verify.plan', param('key'))
  async verifyPlan(@Res() res: Response, @User() user: CurrentUser, @Param('key') key: string) {
    const plan = await this.planOr404(key);
    const job = this.jobs.start<ReplayResult[]>(user.userId, plan.key, (onProgress) => this.audit.verifyPlan(plan.key, onProgress));
    res.redirect(303, `/audit/jobs/${job.id}`);
  }

  @Get('jobs/:jobId')
  @AuditAccess('verify.plan.result', param('jobId'))
  job(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('jobId') jobId: string) {
    const { t } = this.pages.context(req, res);
    const job = this.jobs.get<ReplayResult[]>(jobId, user.userId);
    if (!job) throw new AppError(AppErrorCode.NOT_FOUND, t('audit.job.notFound')).localised();
    const results = job.results ?? [];
    const counts = {
      total: results.length,
      consistent: results.filter((r) => r.ok).length,
      inconsistent: results.filter((r) => !r.ok && r.error?.eventId !== undefined).length,
      failed: results.filter((r) => !r.ok && r.error?.eventId === undefined).length,
    };
    this.pages.render(req, res, 'audit-job', { title: t('audit.job.title', { plan: job.plan }), job, results, counts, finished: Boolean(job.finishedAt) });
  }

  /** Polled by /assets/audit.js while a plan verification runs (its start is logged; the polls are not). */
  @Get('jobs/:jobId/progress.json')
  @NotAudited('a progress poll of a plan verification whose start and result pages are logged')
  progress(@User() user: CurrentUser, @Param('jobId') jobId: string) {
    const job = this.jobs.get<ReplayResult[]>(jobId, user.userId);
    if (!job) throw new AppError(AppErrorCode.NOT_FOUND, `no verification ${jobId}`);
    return { done: job.progress.done, total: job.progress.total, finished: Boolean(job.finishedAt), error: job.error ?? null };
  }

  @Get('plans/:key/dossier.zip')
  @AuditAccess('dossier.download', param('key'))
  async planDossier(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('key') key: string) {
    const { lang, t } = this.pages.context(req, res);
    const plan = await this.planOr404(key);
    const workflowIds = await this.pagesService.planWorkflowIds(plan);
    const { fileName, body } = await this.dossiers.build({ kind: 'plan', id: plan.key, title: plan.title, workflowIds }, user, lang, t);
    this.download(res, 'application/zip', fileName, body);
  }

  @Get('workflows/:id')
  @AuditAccess((req) => (req.query.at ? 'state.view' : 'timeline.view'), param('id'))
  workflow(@Req() req: WebRequest, @Res() res: Response, @Param('id') id: string, @Query('at') at?: string) {
    return this.renderWorkflow(req, res, id, { at });
  }

  @Get('workflows/:id/verify')
  @AuditAccess('verify.workflow', param('id'))
  async verify(@Req() req: WebRequest, @Res() res: Response, @Param('id') id: string) {
    let verification: ReplayResult | { failed: string };
    try {
      verification = await this.audit.verify(id);
    } catch (err) {
      if (err instanceof AppError && err.code === AppErrorCode.NOT_FOUND) throw err;
      verification = { failed: err instanceof Error ? err.message : String(err) };
    }
    return this.renderWorkflow(req, res, id, { verification });
  }

  @Get('workflows/:id/events/:eventId')
  @AuditAccess('event.view', (req) => `${param('id')(req)}#${param('eventId')(req)}`)
  async event(@Req() req: WebRequest, @Res() res: Response, @Param('id') id: string, @Param('eventId') eventId: string, @Query('run') run?: string) {
    const { t } = this.pages.context(req, res);
    const n = Number(eventId);
    if (!Number.isInteger(n) || n < 1) throw new AppError(AppErrorCode.VALIDATION, 'eventId must be a positive integer', undefined, [{ field: 'eventId', reason: 'a history event id (1, 2, …)' }]);
    const raw = await this.pagesService.rawEvent(id, n, typeof run === 'string' && run ? run : undefined);
    this.pages.render(req, res, 'audit-event', { title: t('audit.event.title', { id: n, workflowId: id }), workflowId: id, eventId: n, runId: raw.runId, json: JSON.stringify(raw.event, null, 2) });
  }

  /** One run's raw history (the latest unless ?run=), exactly as the CLI writes it. */
  @Get('workflows/:id/history.json')
  @AuditAccess('history.export', param('id'))
  async history(@Res() res: Response, @Param('id') id: string, @Query('run') run?: string) {
    const chain = await this.audit.history(id);
    const chosen = typeof run === 'string' && run ? chain.runs.find((r) => r.runId === run) : chain.runs.at(-1);
    if (!chosen) throw new AppError(AppErrorCode.NOT_FOUND, `${id} has no run ${run}`);
    this.download(res, 'application/json', `${safeFileName(id)}_${safeFileName(chosen.runId)}.json`, JSON.stringify(chosen.history, null, 2));
  }

  @Get('workflows/:id/timeline.xlsx')
  @AuditAccess('timeline.export.xlsx', param('id'))
  async timelineXlsx(@Req() req: WebRequest, @Res() res: Response, @Param('id') id: string) {
    const { lang, t } = this.pages.context(req, res);
    const timeline = await this.audit.timeline(id, lang);
    const body = await timelineWorkbook([{ workflowId: id, title: await this.titleOf(id), entries: timeline.entries }], lang, t);
    this.download(res, XLSX_TYPE, `dong-thoi-gian-${safeFileName(id)}.xlsx`, body);
  }

  @Get('workflows/:id/timeline.html')
  @AuditAccess('timeline.export.print', param('id'))
  async timelinePrint(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id') id: string) {
    const { lang, t } = this.pages.context(req, res);
    const timeline = await this.audit.timeline(id, lang);
    const title = await this.titleOf(id);
    const html = timelinePrintHtml({
      title: t('audit.print.title', { title }),
      sections: [{ workflowId: id, title, entries: timeline.entries }],
      lang,
      t,
      generatedAt: new Date(),
      generatedBy: `${user.name} (${user.username}, ${user.unit})`,
    });
    res.status(200).type('html').setHeader('cache-control', 'no-store');
    res.send(html);
  }

  @Get('workflows/:id/dossier.zip')
  @AuditAccess('dossier.download', param('id'))
  async workflowDossier(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id') id: string) {
    const { lang, t } = this.pages.context(req, res);
    const assignment = await this.db.getRepository(AssignmentEntity).findOneBy({ id });
    const workflowIds = assignment ? await this.pagesService.assignmentWorkflowIds(id) : [id];
    const { fileName, body } = await this.dossiers.build({ kind: 'assignment', id, title: assignment?.title ?? id, workflowIds }, user, lang, t);
    this.download(res, 'application/zip', fileName, body);
  }

  private async renderHome(req: WebRequest, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const { t } = this.pages.context(req, res);
    const [plans, delegations, refusals] = await Promise.all([this.pagesService.plans(), this.pagesService.delegationsInForce(), this.pagesService.recentRefusals(50)]);
    this.pages.render(req, res, 'audit-home', { title: t('audit.title'), plans, delegations, refusals, ...extra }, status);
  }

  private async renderWorkflow(req: WebRequest, res: Response, id: string, options: { at?: string; verification?: ReplayResult | { failed: string } }) {
    const { lang, t } = this.pages.context(req, res);
    const [timeline, chain] = await Promise.all([this.audit.timeline(id, lang), this.audit.history(id)]);
    const multiRun = chain.runs.length > 1;
    const entries = this.pagesService.entryViews(id, timeline.entries, lang, multiRun);
    let state;
    let stateError: string | undefined;
    let status = 200;
    if (options.at !== undefined && options.at !== '') {
      const at = parseAt(options.at);
      const run = at && (at.runId ? chain.runs.find((r) => r.runId === at.runId) : chain.runs.at(-1));
      const event = at && run?.history.events.find((e) => Number(e.eventId) === at.eventId);
      if (!at || !run || !event) {
        stateError = t('audit.state.badEvent', { at: options.at.slice(0, 100) });
        status = 400;
      } else {
        state = this.pagesService.stateView(await this.audit.stateAt(id, at.eventId, run.runId), lang, t, event.eventTime, multiRun ? run.runId : undefined);
      }
    }
    const title = await this.titleOf(id);
    this.pages.render(
      req,
      res,
      'audit-workflow',
      {
        title: t('audit.workflow.title', { title }),
        workflowTitle: title,
        id,
        timeline,
        chain: { source: chain.source, runs: chain.runs.map((r) => ({ runId: r.runId, events: r.history.events.length })) },
        entries,
        selectedAt: options.at ?? '',
        state,
        stateError,
        verification: options.verification,
        temporalUrl: timeline.temporalUiUrl ?? this.pagesService.temporalUrl(id),
        multiRun,
      },
      status,
    );
  }

  private async titleOf(id: string): Promise<string> {
    const assignment = await this.db.getRepository(AssignmentEntity).findOneBy({ id });
    return assignment?.title ?? id;
  }

  private async planOr404(key: string): Promise<PlanRow> {
    const plan = await this.pagesService.plan(key);
    if (!plan) throw new AppError(AppErrorCode.NOT_FOUND, `no plan ${key}`);
    return plan;
  }

  private download(res: Response, type: string, fileName: string, body: Buffer | string) {
    res.status(200).type(type).setHeader('content-disposition', `attachment; filename="${fileName}"`);
    res.setHeader('cache-control', 'no-store');
    res.send(body);
  }
}
