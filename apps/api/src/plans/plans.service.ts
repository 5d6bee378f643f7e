import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { DataSource, IsNull } from 'typeorm';
import {
  canonicalPlanJson,
  createWorkingCalendar,
  expandPlan,
  parsePlanDefinition,
  onDemandOpenWindow,
  scheduledUnitEnds,
  selectAssignments,
  type LaunchSelection,
  type PlanDefinition,
} from '@dieu-hanh/domain';
import { PlanVersionEntity } from '@dieu-hanh/persistence';
import { WORKFLOW_TYPES, closePlanSignal, planProgressQuery, planWorkflowId, shiftDeadlineUpdate, type PlanWorkflowInput } from '@dieu-hanh/workflows';
import { queryWorkflow, toAppError } from '../infra/workflow-gateway';
import { AssignmentEntity } from '@dieu-hanh/persistence';
import { WorkflowGateway } from '../infra/workflow-gateway';
import { AppError, AppErrorCode } from '../common/app-error';
import { AppConfig } from '../infra/infra.module';
import type { CurrentUser } from '../auth/current-user';
import { assertStandingOfficeOf } from '../auth/access-policy';

export interface ImportResult {
  plan: PlanVersionEntity;
  /** false when the same definition was already imported (idempotent import). */
  created: boolean;
}

@Injectable()
export class PlansService {
  private readonly calendar = createWorkingCalendar();

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Client) private readonly temporal: Client,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(WorkflowGateway) private readonly workflows: WorkflowGateway,
  ) {}

  /**
   * Validates a plan file and stores it as a new version of its plan code. The same
   * definition again returns the version already stored; a bad file stores nothing.
   */
  async import(text: string, user: Pick<CurrentUser, 'username'>): Promise<ImportResult> {
    const parsed = parsePlanDefinition(text);
    if (!parsed.ok) {
      throw new AppError(
        AppErrorCode.PLAN_INVALID,
        `The plan file has ${parsed.errors.length} problem(s)`,
        undefined,
        parsed.errors.map((e) => ({ field: e.path, reason: e.message })),
      );
    }
    const plan = parsed.plan;
    const fingerprint = createHash('sha256').update(canonicalPlanJson(plan)).digest('hex');
    return this.db.transaction('SERIALIZABLE', async (tx) => {
      const repo = tx.getRepository(PlanVersionEntity);
      const same = await repo.findOneBy({ code: plan.plan.code, fingerprint });
      if (same) return { plan: same, created: false };
      const latest = await repo.findOne({ where: { code: plan.plan.code }, order: { version: 'DESC' } });
      const version = (latest?.version ?? 0) + 1;
      const saved = await repo.save(
        repo.create({
          code: plan.plan.code,
          version,
          key: `${plan.plan.code}@v${version}`,
          number: plan.plan.number,
          title: plan.plan.title,
          fingerprint,
          definition: plan,
          importedBy: user.username,
          launchedAt: null,
          workflowId: null,
        }),
      );
      return { plan: saved, created: true };
    });
  }

  async get(id: string): Promise<PlanVersionEntity> {
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await this.db.getRepository(PlanVersionEntity).findOneBy({ id }) : null;
    if (!row) throw new AppError(AppErrorCode.NOT_FOUND, `no plan ${id}`);
    return row;
  }

  list(): Promise<PlanVersionEntity[]> {
    return this.db.getRepository(PlanVersionEntity).find({ order: { importedAt: 'DESC' } });
  }

  /** The assignments a plan version sets in motion, computed by the domain. */
  specsOf(row: PlanVersionEntity) {
    return expandPlan(row.definition as PlanDefinition, this.calendar, { planId: row.key });
  }

  /**
   * Starts the plan workflow, which starts one workflow per assignment. Launching
   * twice is a 409, never a second set of workflows.
   *
   * Three steps, none of them holding a transaction open across the call to Temporal,
   * so that a failure between them leaves something a retry can finish:
   * 1. record the intent (workflow_id set, launched_at still null: "launching");
   * 2. start the workflow under its deterministic id, at most once ever
   *    (REJECT_DUPLICATE): "already started" on a retry means step 2 already happened;
   * 3. set launched_at, only where it is still null: the one call that sets it
   *    answers 202, any concurrent call 409.
   */
  async launch(id: string, selection: LaunchSelection = {}): Promise<{ workflowId: string; assignments: number }> {
    const row = await this.get(id);
    if (row.launchedAt) throw alreadyLaunched(row);
    const all = this.specsOf(row);
    const specs = selectOrRefuse(all, selection, row.key);
    const partial = selection.assignments !== undefined || selection.units !== undefined || selection.tasks !== undefined;
    const options = { onlyAssignments: partial ? specs.map((s) => s.id) : undefined };
    const workflowId = planWorkflowId(row.key);
    const repo = this.db.getRepository(PlanVersionEntity);

    await repo.update({ id: row.id, launchedAt: IsNull() }, { workflowId });

    // The specs stay in the stored plan: the workflow reads them a page at a time (a big plan's
    // specs would pass Temporal's 2 MB payload limit in the input and every continue-as-new).
    // Units that end later: the plan holds a timer to each end (the instants computed here, not in the workflow).
    const definition = row.definition as PlanDefinition;
    const now = Date.now();
    const unitEnds = scheduledUnitEnds(definition, now);
    // On-demand obligations (III.4) stand while the plan runs: it stays open for them to its horizon.
    const onDemandOpen = onDemandOpenWindow(definition, now);
    const input: PlanWorkflowInput = {
      planId: row.key,
      onlyAssignments: options.onlyAssignments,
      ...(unitEnds.length ? { unitEnds, standingOffice: definition.plan.standingOffice } : {}),
      ...(onDemandOpen ? { onDemandOpen } : {}),
    };
    let startedNow = true;
    try {
      await this.temporal.workflow.start(WORKFLOW_TYPES.plan, {
        workflowId,
        taskQueue: this.config.values.TEMPORAL_TASK_QUEUE,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [input],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw toAppError(err, workflowId);
      startedNow = false;
    }

    let marked: boolean;
    try {
      marked = await this.markLaunched(row.id, workflowId, new Date(), options.onlyAssignments ?? null);
    } catch {
      throw new AppError(AppErrorCode.UNAVAILABLE, `plan ${row.key} is running but recording its launch failed; launch again to finish`);
    }
    if (!marked) throw alreadyLaunched(await this.get(id));
    // A retry that found the workflow running reports what it runs, not what this request asked.
    const assignments = startedNow ? specs.length : await this.runningTotal(workflowId, specs.length);
    return { workflowId, assignments };
  }

  /** Sets launched_at once (and what a partial launch gave out; null = all); false when another call already did. */
  private async markLaunched(id: string, workflowId: string, at: Date, launchedAssignments: string[] | null = null): Promise<boolean> {
    const result = await this.db
      .createQueryBuilder()
      .update(PlanVersionEntity)
      .set({ launchedAt: at, workflowId, launchedAssignments })
      .where('id = :id AND launched_at IS NULL', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * How many assignments the running plan workflow sets in motion. It learns the number from
   * its first page of the stored plan, so a workflow that has just started answers 0 for a
   * moment: ask again briefly before falling back to what this request computed.
   */
  private async runningTotal(workflowId: string, fallback: number): Promise<number> {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        const { total } = await queryWorkflow(this.temporal, workflowId, planProgressQuery);
        if (total > 0) return total;
      } catch {
        return fallback;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    return fallback;
  }

  /**
   * Sends the same deadline shift to every open assignment of the plan. Each shift is
   * an Update answered by its workflow; a repeat with the same date changes nothing
   * that matters, so a retried command is safe. Reports what each answered.
   */
  async shiftDeadlines(user: CurrentUser, id: string, body: { date: string; reason: string }) {
    const plan = await this.get(id);
    assertStandingOfficeOf(user, (plan.definition as PlanDefinition).plan.standingOffice, 'shifting the deadlines of a plan');
    const open = await this.db.getRepository(AssignmentEntity).find({ where: { planKey: plan.key, lifecycle: 'open' }, order: { id: 'ASC' } });
    const actor = { userId: user.userId, name: user.name, unit: user.unit, roles: user.roles };
    const results: { assignmentId: string; ok: boolean; deadline?: string; error?: string }[] = [];
    for (const a of open) {
      try {
        const state = await this.workflows.update(a.id, shiftDeadlineUpdate, { date: body.date, reason: body.reason, actor });
        results.push({ assignmentId: a.id, ok: true, deadline: state.deadline.effective });
      } catch (err) {
        results.push({ assignmentId: a.id, ok: false, error: (err as Error).message });
      }
    }
    return { shifted: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length, results };
  }

  /**
   * Closes a launched plan. The plan workflow is the truth: a plan whose launch was
   * interrupted after the workflow started (launched_at missing) is still closed, and
   * its launch is recorded on the way.
   */
  async close(id: string, reason: string): Promise<{ workflowId: string; closing: true }> {
    const plan = await this.get(id);
    const workflowId = plan.workflowId ?? planWorkflowId(plan.key);
    const handle = this.temporal.workflow.getHandle(workflowId);
    if (!plan.launchedAt) {
      let startedAt: Date;
      try {
        startedAt = (await handle.describe()).startTime;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new AppError(AppErrorCode.CONFLICT, `plan ${plan.key} was never launched`, 'NOT_LAUNCHED');
        throw toAppError(err, workflowId);
      }
      await this.markLaunched(plan.id, workflowId, startedAt);
    }
    try {
      await handle.signal(closePlanSignal, { reason });
    } catch (err) {
      throw toAppError(err, workflowId);
    }
    return { workflowId, closing: true };
  }
}

/** The assignments a launch selection picks; a 400 naming each code the plan does not know. */
export function selectOrRefuse<T extends Parameters<typeof selectAssignments>[0][number]>(specs: readonly T[], selection: LaunchSelection, planKey: string): T[] {
  const { picked, unknown } = selectAssignments(specs, selection);
  if (unknown.length) {
    throw new AppError(AppErrorCode.VALIDATION, 'unknown codes in the selection', undefined, unknown.map((u) => ({ field: u.field, reason: `${u.code} is not in plan ${planKey}` })));
  }
  return picked;
}

function alreadyLaunched(row: PlanVersionEntity): AppError {
  return new AppError(AppErrorCode.CONFLICT, `plan ${row.key} was launched at ${row.launchedAt?.toISOString()}`, 'ALREADY_LAUNCHED');
}
