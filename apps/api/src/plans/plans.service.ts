import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import {
  canonicalPlanJson,
  createWorkingCalendar,
  expandPlan,
  parsePlanDefinition,
  type PlanDefinition,
} from '@dieu-hanh/domain';
import { PlanVersionEntity } from '@dieu-hanh/persistence';
import { WORKFLOW_TYPES, closePlanSignal, planWorkflowId, shiftDeadlineUpdate, type PlanWorkflowInput } from '@dieu-hanh/workflows';
import { toAppError } from '../infra/workflow-gateway';
import { AssignmentEntity } from '@dieu-hanh/persistence';
import { WorkflowGateway } from '../infra/workflow-gateway';
import { AppError, AppErrorCode } from '../common/app-error';
import { AppConfig } from '../infra/infra.module';
import type { CurrentUser } from '../auth/current-user';

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
   */
  async launch(id: string, options: { onlyAssignments?: string[] } = {}): Promise<{ workflowId: string; assignments: number }> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(PlanVersionEntity);
      const row = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new AppError(AppErrorCode.NOT_FOUND, `no plan ${id}`);
      if (row.launchedAt) throw new AppError(AppErrorCode.CONFLICT, `plan ${row.key} was launched at ${row.launchedAt.toISOString()}`, 'ALREADY_LAUNCHED');
      let specs = this.specsOf(row);
      if (options.onlyAssignments) {
        const known = new Set(specs.map((s) => s.id));
        const unknown = options.onlyAssignments.filter((a) => !known.has(a));
        if (unknown.length) {
          throw new AppError(AppErrorCode.VALIDATION, `unknown assignment ids`, undefined, unknown.map((a) => ({ field: 'assignments', reason: `${a} is not an assignment of ${row.key}` })));
        }
        specs = specs.filter((s) => options.onlyAssignments!.includes(s.id));
      }
      const workflowId = planWorkflowId(row.key);
      const input: PlanWorkflowInput = { planId: row.key, specs };
      try {
        await this.temporal.workflow.start(WORKFLOW_TYPES.plan, {
          workflowId,
          taskQueue: this.config.values.TEMPORAL_TASK_QUEUE,
          args: [input],
        });
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) {
          throw new AppError(AppErrorCode.CONFLICT, `workflow ${workflowId} is already running`, 'ALREADY_LAUNCHED');
        }
        throw err;
      }
      row.launchedAt = new Date();
      row.workflowId = workflowId;
      await repo.save(row);
      return { workflowId, assignments: specs.length };
    });
  }

  /**
   * Sends the same deadline shift to every open assignment of the plan. Each shift is
   * an Update answered by its workflow; a repeat with the same date changes nothing
   * that matters, so a retried command is safe. Reports what each answered.
   */
  async shiftDeadlines(user: CurrentUser, id: string, body: { date: string; reason: string }) {
    const plan = await this.get(id);
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

  async close(id: string, reason: string): Promise<{ workflowId: string; closing: true }> {
    const plan = await this.get(id);
    if (!plan.workflowId) throw new AppError(AppErrorCode.CONFLICT, `plan ${plan.key} was never launched`, 'NOT_LAUNCHED');
    try {
      await this.temporal.workflow.getHandle(plan.workflowId).signal(closePlanSignal, { reason });
    } catch (err) {
      throw toAppError(err, plan.workflowId);
    }
    return { workflowId: plan.workflowId, closing: true };
  }
}
