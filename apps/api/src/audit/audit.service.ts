import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DataSource } from 'typeorm';
import { createHash } from 'node:crypto';
import type { Actor } from '@dieu-hanh/domain/assignment';
import {
  buildTimeline,
  canonicalJson,
  extractHistory,
  historyJsonProblems,
  nestsDeeperThan,
  HISTORY_MAX_DEPTH,
  mergeTimelines,
  refusalEntries,
  runIdOf,
  specOf,
  startedInfo,
  stateAtEvent,
  workflowIdOf,
  type ExtractedHistory,
  type HistoryJson,
  type NoticeDelivery,
  type PeopleDirectory,
  type PersonRef,
  type StateAtEvent,
  type TimelineEntry,
} from '@dieu-hanh/domain/audit';
import { AuditRefusalsStore, WorkflowArchiveStore, type ArchiveEntry, type ArchiveVerifyResult, type RefusalRow } from '@dieu-hanh/persistence';
import { AppError, AppErrorCode } from '../common/app-error';
import { AppConfig } from '../infra/infra.module';
import { PlanDirectory } from '../web/plan-directory';
import type { HistoryChain, HistorySource, PlanVerifyProgress, ReplayResult, TimelineView } from './audit.types';
import { ReplayVerifier } from './replay-verifier';

export const IMPORT_PREFIX = 'import:';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Continue-as-new chains longer than this are cut (a monthly duty continues every 12 periods). */
const MAX_RUNS = 500;

export type Run = { runId: string; history: HistoryJson };

/**
 * What auditors read: histories (from Temporal, else the archive, else an import),
 * timelines, state at any event, replay verification and the archive chain.
 * Read-only towards workflows: nothing here sends an Update or a Signal.
 */
@Injectable()
export class AuditService {
  private readonly archive: WorkflowArchiveStore;
  private readonly refusalStore: AuditRefusalsStore;

  constructor(
    @Inject(Client) private readonly client: Client,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(PlanDirectory) private readonly plans: PlanDirectory,
    @Inject(ReplayVerifier) private readonly replayer: ReplayVerifier,
  ) {
    this.archive = new WorkflowArchiveStore(db);
    this.refusalStore = new AuditRefusalsStore(db);
  }

  private get namespace(): string {
    return this.config.values.TEMPORAL_NAMESPACE;
  }

  // ---------------------------------------------------------------- histories

  /**
   * Every run of a workflow id, oldest first: the latest run and, through each started
   * event's `continuedExecutionRunId`, the runs it continued from. Each run comes from
   * Temporal, or from the archive once Temporal no longer has it; an import id reads the
   * imported file.
   */
  async history(workflowId: string): Promise<HistoryChain> {
    if (workflowId.startsWith(IMPORT_PREFIX)) return this.imported(workflowId);
    let latest: Run | undefined;
    let fromArchive = false;
    try {
      const description = await this.client.workflow.getHandle(workflowId).describe();
      latest = { runId: description.runId, history: await this.fetchFromTemporal(workflowId, description.runId) };
    } catch (err) {
      if (!isNotFound(err) && !isUnavailable(err)) throw err;
      const archived = await this.archive.runsOf(this.namespace, workflowId);
      const last = archived.at(-1);
      if (!last) {
        throw isUnavailable(err)
          ? new AppError(AppErrorCode.UNAVAILABLE, 'Temporal is not reachable and the archive has no run of this workflow')
          : new AppError(AppErrorCode.NOT_FOUND, `no workflow ${workflowId} in Temporal or in the archive`);
      }
      latest = { runId: last.runId, history: last.history };
      fromArchive = true;
    }
    const runs: Run[] = [latest];
    for (let previous = startedInfo(latest.history).continuedExecutionRunId; previous && runs.length < MAX_RUNS; ) {
      const run = await this.fetchRun(workflowId, previous);
      if (!run.history) break;
      if (run.source === 'archive') fromArchive = true;
      runs.unshift({ runId: previous, history: run.history });
      previous = startedInfo(run.history).continuedExecutionRunId;
    }
    return { workflowId, workflowType: startedInfo(runs[0].history).workflowType, source: fromArchive ? 'archive' : 'temporal', runs };
  }

  private async fetchFromTemporal(workflowId: string, runId: string): Promise<HistoryJson> {
    const history = await this.client.workflow.getHandle(workflowId, runId).fetchHistory();
    return JSON.parse(historyToJSON(history)) as HistoryJson;
  }

  private async fetchRun(workflowId: string, runId: string): Promise<{ history?: HistoryJson; source: HistorySource }> {
    try {
      return { history: await this.fetchFromTemporal(workflowId, runId), source: 'temporal' };
    } catch (err) {
      if (!isNotFound(err) && !isUnavailable(err)) throw err;
      return { history: (await this.archive.run(this.namespace, runId))?.history, source: 'archive' };
    }
  }

  /**
   * Imports a history file so timeline, replay and state work on it without the workflow
   * on the server: the CLI's `{ events }`, our `{ workflowId, history }` (also the test
   * fixtures' shape), a chain `{ workflowId, runs: [{ runId, history }] }`, or an array of
   * CLI histories (oldest run first).
   */
  async importHistory(json: unknown, importedBy?: string): Promise<HistoryChain> {
    const { workflowId, runs, extracted } = parseHistoryFile(json);
    const workflowType = extracted[0].workflowType;
    const digest = createHash('sha256').update(canonicalJson(runs)).digest('hex');
    const [row] = (await this.db.query(
      `INSERT INTO imported_histories (workflow_id, workflow_type, runs, digest, imported_by) VALUES ($1,$2,$3::jsonb,$4,$5) RETURNING id`,
      [workflowId, workflowType, JSON.stringify(runs), digest, importedBy ?? null],
    )) as { id: string }[];
    return { workflowId, workflowType, source: 'import', importId: `${IMPORT_PREFIX}${row.id}`, runs };
  }

  private async imported(importId: string): Promise<HistoryChain> {
    const id = importId.slice(IMPORT_PREFIX.length);
    if (!UUID.test(id)) throw new AppError(AppErrorCode.NOT_FOUND, `no import ${importId}`);
    const [row] = (await this.db.query(`SELECT workflow_id, workflow_type, runs FROM imported_histories WHERE id = $1`, [id])) as { workflow_id: string; workflow_type: string; runs: Run[] }[];
    if (!row) throw new AppError(AppErrorCode.NOT_FOUND, `no import ${importId}`);
    return { workflowId: row.workflow_id, workflowType: row.workflow_type, source: 'import', importId, runs: row.runs };
  }

  // ---------------------------------------------------------------- timeline and state

  /**
   * The timeline of a workflow in the domain's words; an assignment's includes its
   * approval chains and, for every workflow, the refused attempts at it. Entries carry
   * both languages; `lang` only orders nothing today and is kept for the page's sake.
   */
  async timeline(idOrImportId: string, lang: 'vi' | 'en' = 'vi'): Promise<TimelineView> {
    void lang;
    const chain = await this.history(idOrImportId);
    const lists: TimelineEntry[][] = [];
    const refusalTargets: { workflowId: string; runs: Run[] }[] = [{ workflowId: chain.workflowId, runs: chain.runs }];
    const directory = await this.directoryFor(chain);
    const deliveries = await this.deliveriesFor(chain.runs);
    for (const run of chain.runs) {
      lists.push(buildTimeline({ workflowId: chain.workflowId, runId: run.runId, history: run.history, extracted: extractHistory(run.history), directory, deliveries }));
    }
    // An assignment's approvals are part of its story (their decisions, delegations, SLA escalations).
    if (chain.source !== 'import') {
      for (const childId of childApprovals(chain)) {
        const child = await this.history(childId).catch(() => undefined);
        if (!child) continue;
        const childDeliveries = await this.deliveriesFor(child.runs);
        for (const run of child.runs) {
          lists.push(buildTimeline({ workflowId: childId, runId: run.runId, history: run.history, extracted: extractHistory(run.history), directory, deliveries: childDeliveries }));
        }
        refusalTargets.push({ workflowId: childId, runs: child.runs });
      }
    }
    const refusals = await this.refusalStore.list({ workflowIds: refusalTargets.map((t) => t.workflowId) });
    for (const target of refusalTargets) {
      const mine = refusals.filter((r) => r.workflowId === target.workflowId);
      lists.push(refusalEntries(mine, target.runs, directory));
    }
    return {
      workflowId: chain.workflowId,
      workflowType: chain.workflowType,
      source: chain.source,
      temporalUiUrl: chain.source === 'import' ? undefined : this.temporalUiUrl(chain.workflowId, chain.runs.at(-1)?.runId),
      entries: mergeTimelines(...lists),
    };
  }

  /** Link to a workflow (run) in the Temporal web UI. */
  temporalUiUrl(workflowId: string, runId?: string): string {
    const base = this.config.values.TEMPORAL_UI_URL.replace(/\/$/, '');
    return `${base}/namespaces/${encodeURIComponent(this.namespace)}/workflows/${encodeURIComponent(workflowId)}${runId ? `/${runId}/history` : ''}`;
  }

  /** The workflow's state after history event `eventId` of `runId` (default: the latest run). */
  async stateAt(idOrImportId: string, eventId: number, runId?: string): Promise<StateAtEvent> {
    const chain = await this.history(idOrImportId);
    const run = runId ? chain.runs.find((r) => r.runId === runId) : chain.runs.at(-1);
    if (!run) throw new AppError(AppErrorCode.NOT_FOUND, `workflow ${chain.workflowId} has no run ${runId}`);
    if (eventId > run.history.events.length) {
      throw new AppError(AppErrorCode.VALIDATION, `run ${run.runId} has ${run.history.events.length} events`, undefined, [{ field: 'eventId', reason: `at most ${run.history.events.length}` }]);
    }
    const extracted = extractHistory(run.history);
    if (!extracted.kind) throw new AppError(AppErrorCode.VALIDATION, `no state is known for workflow type ${extracted.workflowType}`, 'UNKNOWN_WORKFLOW_TYPE');
    return stateAtEvent(extracted, eventId);
  }

  // ---------------------------------------------------------------- verification

  /** Replays every run of the workflow against today's workflow code. */
  async verify(idOrImportId: string): Promise<ReplayResult> {
    const chain = await this.history(idOrImportId);
    return verdictOf(chain, await this.replayer.replay(runsOf(chain)));
  }

  /**
   * Replays every workflow of a plan: the plan workflow, and every workflow it started
   * (assignments, monthly duties and their periods, approvals), plus any the read model
   * knows of that history does not reach (e.g. started by an earlier launch).
   *
   * The workflows go to the replay worker in batches: creating one costs about as much as
   * replaying a short history (docs/benchmarks.md, "7: replay"), so one worker per workflow
   * made a plan's verification mostly worker creation. A batch that fails as a whole (not
   * one history's non-determinism) is verified again one workflow at a time.
   */
  async verifyPlan(planCode: string, onProgress?: (p: PlanVerifyProgress) => void): Promise<ReplayResult[]> {
    const ids = await this.planWorkflowIds(planCode);
    const results: ReplayResult[] = [];
    const failed = (workflowId: string, err: unknown): ReplayResult => ({
      workflowId,
      runId: '',
      ok: false,
      error: { message: err instanceof Error ? err.message : String(err) },
    });
    const done = (result: ReplayResult) => {
      results.push(result);
      onProgress?.({ done: results.length, total: ids.length, last: result });
    };
    for (let i = 0; i < ids.length; i += VERIFY_BATCH) {
      const batch: { id: string; chain?: HistoryChain; error?: unknown }[] = [];
      for (const id of ids.slice(i, i + VERIFY_BATCH)) {
        batch.push(await this.history(id).then((chain) => ({ id, chain }), (error: unknown) => ({ id, error })));
      }
      const chains = batch.flatMap((b) => (b.chain ? [b.chain] : []));
      const replayed = await this.replayer.replay(chains.flatMap(runsOf)).catch(() => undefined);
      let next = 0;
      for (const b of batch) {
        if (!b.chain) {
          done(failed(b.id, b.error));
          continue;
        }
        const runs = replayed?.slice(next, (next += b.chain.runs.length));
        done(runs ? verdictOf(b.chain, runs) : await this.replayer.replay(runsOf(b.chain)).then((r) => verdictOf(b.chain!, r), (err: unknown) => failed(b.id, err)));
      }
    }
    return results;
  }

  /** Every workflow id of a plan (plan, assignments, duties and periods, approvals), plan first. */
  async planWorkflowIds(planCode: string): Promise<string[]> {
    const versions = (await this.db.query(
      `SELECT key, workflow_id FROM plan_versions WHERE (code = $1 OR key = $1) AND launched_at IS NOT NULL ORDER BY version`,
      [planCode],
    )) as { key: string; workflow_id: string | null }[];
    if (versions.length === 0) throw new AppError(AppErrorCode.NOT_FOUND, `no launched plan ${planCode}`);
    const ids: string[] = [];
    const seen = new Set<string>();
    const queue: string[] = [];
    const add = (id: string | null | undefined) => {
      if (id && !seen.has(id)) {
        seen.add(id);
        ids.push(id);
        queue.push(id);
      }
    };
    for (const v of versions) {
      add(v.workflow_id ?? `plan:${v.key}`);
      const rows = (await this.db.query(`SELECT id, approval_id FROM assignments WHERE plan_key = $1 ORDER BY id`, [v.key])) as { id: string; approval_id: string | null }[];
      rows.forEach((r) => add(r.id));
      const approvals = (await this.db.query(`SELECT id FROM approvals WHERE plan_key = $1 ORDER BY id`, [v.key]).catch(() => [])) as { id: string }[];
      approvals.forEach((r) => add(r.id));
    }
    // Children found in histories (periods of monthly duties, approvals of earlier versions).
    while (queue.length > 0) {
      const id = queue.shift()!;
      const chain = await this.history(id).catch(() => undefined);
      for (const run of chain?.runs ?? []) {
        for (const r of extractHistory(run.history).records) if (r.type === 'child-started') add(r.workflowId);
      }
    }
    return ids;
  }

  async verifyArchive(): Promise<ArchiveVerifyResult> {
    return this.archive.verify();
  }

  async archiveEntries(workflowId?: string): Promise<ArchiveEntry[]> {
    return this.archive.entries(workflowId ? { workflowIds: [workflowId] } : { limit: 200 });
  }

  async refusals(workflowId: string): Promise<RefusalRow[]> {
    return this.refusalStore.list({ workflowIds: [workflowId] });
  }

  // ---------------------------------------------------------------- people and notices

  /** Names, positions and unit names for the timeline: users table + the plan's units. */
  private async directoryFor(chain: HistoryChain): Promise<PeopleDirectory> {
    const first = extractHistory(chain.runs[0].history);
    const planKey = specOf(first)?.planId ?? (first.input as { planId?: string } | undefined)?.planId;
    const plan = planKey ? await this.plans.ofKey(planKey).catch(() => undefined) : undefined;
    const users = (await this.db.query(`SELECT id::text AS id, display_name, position, unit_code FROM users`)) as { id: string; display_name: string; position: string | null; unit_code: string }[];
    const byId = new Map(users.map((u) => [u.id, u]));
    const unitName = (code: string) => {
      const name = plan?.unitName(code);
      return name && name !== code ? name : undefined;
    };
    return {
      unitName,
      person: (a: Actor): PersonRef => {
        const u = byId.get(a.userId);
        return { userId: a.userId, name: a.name, unit: a.unit, ...(u?.position ? { position: u.position } : {}), ...(unitName(a.unit) ? { unitName: unitName(a.unit) } : {}) };
      },
    };
  }

  private async deliveriesFor(runs: Run[]): Promise<NoticeDelivery[]> {
    const keys = runs.flatMap((r) => extractHistory(r.history).records.flatMap((x) => (x.type === 'notice' ? [x.notice.key] : [])));
    if (keys.length === 0) return [];
    const rows = (await this.db.query(`SELECT key, recipient_unit, emailed_at FROM notifications WHERE key = ANY($1::text[])`, [keys])) as { key: string; recipient_unit: string; emailed_at: Date | null }[];
    return rows.map((r) => ({ key: r.key, recipientUnit: r.recipient_unit, emailedAt: r.emailed_at ? r.emailed_at.toISOString() : null }));
  }
}

/**
 * Validates a history file and says which workflow and runs it holds: the CLI's
 * `{ events }`, our `{ workflowId, history }` (also the test fixtures' shape), a chain
 * `{ workflowId, runs: [{ runId, history }] }`, or an array of CLI histories (oldest first).
 */
export function parseHistoryFile(json: unknown): { workflowId: string; runs: Run[]; extracted: ExtractedHistory[] } {
  if (nestsDeeperThan(json, HISTORY_MAX_DEPTH)) {
    throw new AppError(AppErrorCode.VALIDATION, `a history nests at most ${HISTORY_MAX_DEPTH} levels deep`, 'HISTORY_INVALID', [{ field: 'body', reason: 'nested too deeply' }]);
  }
  // PostgreSQL's jsonb cannot hold NUL; no real history has one.
  if (JSON.stringify(json).includes('\\u0000')) {
    throw new AppError(AppErrorCode.VALIDATION, 'the history contains a NUL character', 'HISTORY_INVALID', [{ field: 'body', reason: 'NUL character' }]);
  }
  const { workflowId: given, histories } = importedShape(json);
  const problems = histories.flatMap((h, i) => historyJsonProblems(h).map((p) => ({ field: histories.length > 1 ? `runs[${i}].${p.path}` : p.path, reason: p.reason })));
  if (problems.length > 0) throw new AppError(AppErrorCode.VALIDATION, `not a workflow history: ${problems[0].field}: ${problems[0].reason}`, 'HISTORY_INVALID', problems);
  let extracted: ExtractedHistory[];
  try {
    extracted = histories.map((h) => extractHistory(h as HistoryJson));
  } catch (err) {
    throw new AppError(AppErrorCode.VALIDATION, `the history's payloads cannot be read: ${(err as Error).message}`, 'HISTORY_INVALID', [{ field: 'events', reason: 'unreadable payload' }]);
  }
  const workflowId = given ?? workflowIdOf(extracted[0]);
  if (!workflowId) {
    throw new AppError(AppErrorCode.VALIDATION, 'the history does not say its workflow id; pass ?workflowId=', 'HISTORY_INVALID', [{ field: 'workflowId', reason: 'required for this history' }]);
  }
  const runs = histories.map((h, i) => ({ runId: runIdOf(h as HistoryJson) || `imported-run-${i + 1}`, history: h as HistoryJson }));
  return { workflowId, runs, extracted };
}

function childApprovals(chain: HistoryChain): string[] {
  const ids: string[] = [];
  for (const run of chain.runs) {
    for (const r of extractHistory(run.history).records) {
      if (r.type === 'child-started' && r.workflowType === 'approvalWorkflow' && !ids.includes(r.workflowId)) ids.push(r.workflowId);
    }
  }
  return ids;
}

function importedShape(json: unknown): { workflowId?: string; histories: unknown[] } {
  const o = json as { workflowId?: unknown; history?: unknown; runs?: unknown; events?: unknown } | null;
  const workflowId = typeof o?.workflowId === 'string' && o.workflowId.trim() ? o.workflowId.trim() : undefined;
  if (Array.isArray(json)) return { histories: json };
  if (o && Array.isArray(o.events)) return { workflowId, histories: [o] };
  if (o && o.history !== undefined) return { workflowId, histories: [o.history] };
  if (o && Array.isArray(o.runs)) return { workflowId, histories: (o.runs as { history?: unknown }[]).map((r) => r?.history) };
  throw new AppError(AppErrorCode.VALIDATION, 'expected the JSON of `temporal workflow show --output json` ({ "events": [...] })', 'HISTORY_INVALID', [
    { field: 'events', reason: 'missing' },
  ]);
}

const isNotFound = (err: unknown) => err instanceof WorkflowNotFoundError || /not found/i.test(err instanceof Error ? err.message : '');
/** Temporal not reachable: gRPC UNAVAILABLE (14) or DEADLINE_EXCEEDED (4), anywhere in the cause chain (the client wraps them). */
const isUnavailable = (err: unknown): boolean => {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 14 || code === 4) return true;
    if (/UNAVAILABLE|ECONNREFUSED|deadline exceeded|failed to connect|connection/i.test(e instanceof Error ? e.message : String(e))) return true;
  }
  return false;
};

/** Workflows replayed by one replay worker when a whole plan is verified. */
const VERIFY_BATCH = 25;

const runsOf = (chain: HistoryChain) => chain.runs.map((r) => ({ workflowId: chain.workflowId, runId: r.runId, history: r.history }));

/** One workflow's verdict from its runs' replays: the first failing run, else the latest. */
function verdictOf(chain: HistoryChain, runs: ReplayResult[]): ReplayResult {
  const failed = runs.find((r) => !r.ok);
  const shown = failed ?? runs.at(-1)!;
  return {
    workflowId: chain.workflowId,
    runId: shown.runId,
    ok: !failed,
    ...(failed ? { error: failed.error } : {}),
    ...(runs.length > 1 ? { runs: runs.map(({ runId, ok, error }) => ({ runId, ok, ...(error ? { error } : {}) })) } : {}),
  };
}
