import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, Not } from 'typeorm';
import {
  amendmentHandovers,
  createWorkingCalendar,
  describeAmendment,
  expandPlan,
  localDateInVietnam,
  onDemandOpenWindow,
  scheduledUnitEnds,
  type LaunchSelection,
  type PlanAmendmentDiff,
  type PlanDefinition,
} from '@dieu-hanh/domain';
import { AssignmentEntity, PlanVersionEntity } from '@dieu-hanh/persistence';
import { isFinalLifecycle, type Lifecycle } from '@dieu-hanh/domain/assignment';
import { amendPlanUpdate, launchMoreUpdate, planProgressQuery, planWorkflowId, type PlanChangeRecord } from '@dieu-hanh/workflows';
import { AppError, AppErrorCode } from '../common/app-error';
import { WorkflowGateway } from '../infra/workflow-gateway';
import type { CurrentUser } from '../auth/current-user';
import { assertStandingOfficeOf } from '../auth/access-policy';
import { PlansService, selectOrRefuse } from './plans.service';

export interface AmendmentPreview {
  /** The new version (this one). */
  plan: string;
  /** The running plan version it amends (its key names every workflow). */
  amends: string;
  /** The version whose definition is in force now (the running one, or its last amendment). */
  inForce: string;
  appliedAt: Date | null;
  diff: PlanAmendmentDiff;
}

/**
 * Changes to a plan that is running: amendments (a new version applied to the running
 * one) and later launches (the rest of a partial launch). Both are Updates to the plan
 * workflow, so each is in its history; the read model follows from the assignments.
 */
@Injectable()
export class PlanChangesService {
  private readonly calendar = createWorkingCalendar();

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(PlansService) private readonly plans: PlansService,
    @Inject(WorkflowGateway) private readonly workflows: WorkflowGateway,
  ) {}

  private get repo() {
    return this.db.getRepository(PlanVersionEntity);
  }

  /** The launched version of a plan code (the latest, if more than one was launched). */
  async runningVersionOf(code: string): Promise<PlanVersionEntity | null> {
    return this.repo.findOne({ where: { code, launchedAt: Not(IsNull()) }, order: { version: 'DESC' } });
  }

  /** The version whose definition a running plan carries now: its last amendment, or itself. */
  async inForce(running: PlanVersionEntity): Promise<PlanVersionEntity> {
    return (await this.repo.findOne({ where: { amendsKey: running.key, amendedAt: Not(IsNull()) }, order: { amendedAt: 'DESC' } })) ?? running;
  }

  /** What applying version `id` to the running version of its plan would change; null when none runs. */
  async preview(id: string): Promise<AmendmentPreview | null> {
    const row = await this.plans.get(id);
    if (row.launchedAt) return null;
    const running = await this.runningVersionOf(row.code);
    if (!running) return null;
    const inForce = row.amendsKey === running.key && row.amendedAt ? row : await this.inForce(running);
    const now = Date.now();
    // Applied: what it did, as stored. Else what it would do now (units ended by now hand over).
    const diff = row.amendedAt
      ? (row.amendmentDiff as PlanAmendmentDiff)
      : describeAmendment(inForce.definition as PlanDefinition, row.definition as PlanDefinition, this.calendar, {
          planId: running.key,
          asOf: localDateInVietnam(now),
          leads: await this.openLeads(running.key),
          now,
        });
    return { plan: row.key, amends: running.key, inForce: inForce.key, appliedAt: row.amendedAt, diff };
  }

  /** The lead unit of each open assignment of a running plan, as the read model has it now. */
  private async openLeads(planKey: string): Promise<Map<string, string>> {
    const rows = await this.db.getRepository(AssignmentEntity).find({ where: { planKey }, select: { id: true, leadUnit: true, lifecycle: true } });
    return new Map(rows.filter((r) => !isFinalLifecycle(r.lifecycle as Lifecycle)).map((r) => [r.id, r.leadUnit]));
  }

  async requirePreview(id: string): Promise<AmendmentPreview> {
    const preview = await this.preview(id);
    if (!preview) {
      const row = await this.plans.get(id);
      if (row.launchedAt) throw new AppError(AppErrorCode.CONFLICT, `plan ${row.key} is the running version; import a new version to amend it`, 'IS_RUNNING');
      throw new AppError(AppErrorCode.CONFLICT, `no version of plan ${row.code} is running; launch this one instead`, 'NOT_RUNNING');
    }
    return preview;
  }

  /**
   * Applies version `id` to the running plan: an Update to its workflow (new assignments
   * start, removed ones are cancelled naming the amendment, moved deadlines are shifted),
   * then the version is recorded as in force. A repeat after a lost answer finds the
   * change already taken (DUPLICATE) and only finishes the record.
   */
  async apply(user: CurrentUser, id: string, body: { reason: string; inForce?: string }): Promise<AmendmentPreview & { change: PlanChangeRecord | null }> {
    const preview = await this.requirePreview(id);
    const running = (await this.runningVersionOf((await this.plans.get(id)).code))!;
    assertStandingOfficeOf(user, (running.definition as PlanDefinition).plan.standingOffice, 'amending a running plan');
    if (preview.appliedAt) throw new AppError(AppErrorCode.CONFLICT, `amendment ${preview.plan} was applied at ${preview.appliedAt.toISOString()}`, 'ALREADY_APPLIED');
    if (body.inForce !== undefined && body.inForce !== preview.inForce) {
      throw new AppError(AppErrorCode.CONFLICT, `the difference was computed against ${body.inForce}, but ${preview.inForce} is in force now; look at the difference again`, 'STALE_PREVIEW', [
        { field: 'inForce', reason: `${preview.inForce} is in force` },
      ]);
    }
    const { diff } = preview;
    const definition = (await this.plans.get(id)).definition as PlanDefinition;
    const now = Date.now();
    const unitEnds = scheduledUnitEnds(definition, now);
    // Exactly what the preview listed: assignments, periodic duties and on-demand ones.
    const handOver = amendmentHandovers(diff);
    let change: PlanChangeRecord | null = null;
    try {
      change = await this.workflows.update(planWorkflowId(running.key), amendPlanUpdate, {
        changeId: preview.plan,
        source: preview.plan,
        reason: body.reason,
        actor: { userId: user.userId, name: user.name, unit: user.unit, roles: user.roles },
        start: diff.assignments.added.map((a) => a.id),
        cancel: diff.assignments.removed.map((a) => a.id),
        shift: diff.assignments.deadlineChanged.map((a) => ({ id: a.id, date: a.to.nominal })),
        handOver,
        // Units this version ends later hand over when they end, without another amendment.
        ...(unitEnds.length ? { unitEnds } : {}),
        // The plan stays open for on-demand openings, or may finish, per this version.
        onDemandOpen: onDemandOpenWindow(definition, now) ?? null,
      });
    } catch (err) {
      if (!(err instanceof AppError && err.reason === 'DUPLICATE')) throw err;
    }
    const appliedAt = new Date();
    await this.repo.update(
      { id, amendedAt: IsNull() },
      { amendsKey: running.key, amendedAt: appliedAt, amendedBy: user.username, amendmentReason: body.reason, amendmentDiff: diff },
    );
    return { ...preview, appliedAt, change };
  }

  /**
   * Launches more of a running plan (the rest of a partial launch): the selected
   * assignments of the definition in force that are not running yet. Already started
   * ones are counted, never started twice (the plan workflow starts each id once).
   */
  async launchMore(user: CurrentUser, id: string, selection: LaunchSelection) {
    const row = await this.plans.get(id);
    if (!row.launchedAt) throw new AppError(AppErrorCode.CONFLICT, `plan ${row.key} is not launched; launch it first`, 'NOT_LAUNCHED');
    const inForce = await this.inForce(row);
    const specs = expandPlan(inForce.definition as PlanDefinition, this.calendar, { planId: row.key });
    const picked = selectOrRefuse(specs, selection, row.key);
    const change = await this.workflows.update(planWorkflowId(row.key), launchMoreUpdate, {
      changeId: `launch:${randomUUID()}`,
      source: inForce.key,
      reason: 'Triển khai tiếp',
      actor: { userId: user.userId, name: user.name, unit: user.unit, roles: user.roles },
      start: picked.map((s) => s.id),
    });
    // What the plan has given out so far, for the Standing Office's "plans to launch" (null stays null: all of it).
    await this.repo.query(
      `UPDATE plan_versions SET launched_assignments = ARRAY(SELECT DISTINCT x FROM unnest(launched_assignments || $2::text[]) x ORDER BY x)
       WHERE id = $1 AND launched_assignments IS NOT NULL`,
      [row.id, picked.map((s) => s.id)],
    );
    return { workflowId: planWorkflowId(row.key), requested: picked.length, change };
  }

  /** The running plan's own account of its changes (from its workflow state). */
  progress(row: PlanVersionEntity) {
    return this.workflows.query(planWorkflowId(row.key), planProgressQuery);
  }
}
