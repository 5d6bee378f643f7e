import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { availableObligations, createWorkingCalendar, openOnDemand, type AvailableObligation, type PlanDefinition } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import type { PlanVersionEntity } from '@dieu-hanh/persistence';
import { openOnDemandUpdate, planWorkflowId } from '@dieu-hanh/workflows';
import { AppError, AppErrorCode } from '../common/app-error';
import { WorkflowGateway } from '../infra/workflow-gateway';
import { PlansService } from '../plans/plans.service';
import { PlanChangesService } from '../plans/plan-changes.service';
import type { CurrentUser } from '../auth/current-user';

export interface OpenOnDemandBody {
  subject: string;
  targetDate: string;
}

/**
 * Obligations a plan makes available rather than imposes (khi cần thiết, III.4): which a
 * person's unit may open, and opening one, which the plan workflow starts as its child
 * under a business key of its own. Nothing is written but through Temporal; the read model follows.
 */
@Injectable()
export class OnDemandService {
  private readonly calendar = createWorkingCalendar();

  constructor(
    @Inject(WorkflowGateway) private readonly workflows: WorkflowGateway,
    @Inject(PlansService) private readonly plans: PlansService,
    @Inject(PlanChangesService) private readonly changes: PlanChangesService,
  ) {}

  /** The definition a launched plan carries now (its last amendment applied, or itself): what may be opened. */
  private async definitionInForce(plan: PlanVersionEntity): Promise<PlanDefinition> {
    return (plan.launchedAt ? await this.changes.inForce(plan) : plan).definition as PlanDefinition;
  }

  /** The plan's available obligations, each with whether the person's unit may open one. */
  async list(user: CurrentUser, planId: string): Promise<(AvailableObligation & { mayOpen: boolean })[]> {
    const plan = await this.plans.get(planId);
    return availableObligations(await this.definitionInForce(plan)).map((o) => ({ ...o, mayOpen: mayOpen(user) && o.units.includes(user.unit) }));
  }

  async open(user: CurrentUser, planId: string, obligationId: string, body: OpenOnDemandBody): Promise<AssignmentSpec> {
    const plan = await this.plans.get(planId);
    if (!mayOpen(user)) {
      throw new AppError(AppErrorCode.FORBIDDEN, `only a unit's drafter or head opens one; ${user.name} has ${user.roles.join(', ')}`, 'ROLE');
    }
    if (!plan.launchedAt) throw new AppError(AppErrorCode.CONFLICT, `plan ${plan.key} is not launched yet`, 'NOT_LAUNCHED');
    // An amendment may have added, changed or removed obligations: open per the version in force.
    const definition = await this.definitionInForce(plan);
    const today = DateTime.now().setZone(definition.plan.timeZone).toFormat('yyyy-MM-dd');
    const opened = openOnDemand(definition, this.calendar, {
      planId: plan.key,
      obligationId,
      unit: user.unit,
      subject: body.subject,
      targetDate: body.targetDate,
      today,
      suffix: randomBytes(4).toString('hex'),
    });
    if (!opened.ok) {
      const { code, field, reason } = opened.refusal;
      const status = code === 'NOT_FOUND' ? AppErrorCode.NOT_FOUND : code === 'NOT_AVAILABLE_TO_UNIT' ? AppErrorCode.FORBIDDEN : AppErrorCode.VALIDATION;
      throw new AppError(status, reason, code, [{ field, reason }]);
    }
    // The plan starts it as its child, so closing the plan cancels it; a closing or finished
    // plan refuses (409 PLAN_CLOSING / PLAN_CLOSED), a repeated id too (409 DUPLICATE).
    const request = { spec: opened.spec, actor: { userId: user.userId, name: user.name, unit: user.unit, roles: user.roles } };
    const workflowId = plan.workflowId ?? planWorkflowId(plan.key);
    // A plan just launched is still starting its assignments for a moment: wait briefly
    // rather than refuse; a big plan's launch still answers 409 LAUNCH_IN_PROGRESS.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.workflows.update(workflowId, openOnDemandUpdate, request);
        return opened.spec;
      } catch (err) {
        if (!(err instanceof AppError && err.reason === 'LAUNCH_IN_PROGRESS') || attempt >= LAUNCH_WAIT_ATTEMPTS) throw err;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** How many times (every 250 ms) an opening waits for a launch to finish before answering 409. */
const LAUNCH_WAIT_ATTEMPTS = 20;

const mayOpen = (user: CurrentUser) => user.roles.some((r) => r === 'drafter' || r === 'unit-head');
