import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApprovalEntity, AssignmentEntity, DelegationEntity, UserEntity } from '@dieu-hanh/persistence';
import { currentStep, type ApprovalStepSpec, type ExtensionRecord, type SubmissionRecord } from '@dieu-hanh/domain/assignment';
import { AssignmentsService } from '../assignments/assignments.service';
import { localToday } from '../approvals/approvals.service';
import { assertCanSubmit } from '../auth/access-policy';
import type { CurrentUser } from '../auth/current-user';
import { renderDraftDiff } from './draft-diff';
import { PlanDirectory, type PlanInfo } from './plan-directory';

const DECIDES = ['approver', 'standing-office'];
const REPORT_KINDS = ['concretisation', 'monthly-report', 'review', 'policy-proposal', 'propaganda'];

export interface SubmissionView extends SubmissionRecord {
  diffHtml?: string;
  changed?: boolean;
}

export interface ChainStepView extends ApprovalStepSpec {
  state: 'decided' | 'waiting' | 'later';
  decision?: ApprovalEntity['state']['decisions'][number];
}

export interface ApprovalView {
  approval: ApprovalEntity;
  steps: ChainStepView[];
}

export interface AssignmentPage {
  row: AssignmentEntity;
  plan: PlanInfo | undefined;
  submissions: SubmissionView[];
  approvals: ApprovalView[];
  /** The approval step this person may decide now, if any. */
  decide?: { approvalId: string; version: number; step: ApprovalStepSpec; delegated: boolean };
  /** The version a submission would create, when this person may submit now. */
  submit?: { version: number; endpointKinds: string[]; report: boolean; previousText: string };
  /** Waiting for approval, but the approval's row is not projected yet. */
  approvalOpening: boolean;
  extension: ExtensionView;
}

export interface ExtensionView {
  /** The lead unit's head may ask for more time while the assignment is not final and nothing is pending. */
  canRequest: boolean;
  pending?: ExtensionRecord;
  /** The Standing Office may grant or refuse the pending request. */
  canDecide: boolean;
  /** The deadline in force differs from the first one (extension, send-back or shift). */
  moved: boolean;
}

/** Everything the assignment page shows, read from the read model with the API's access rules. */
@Injectable()
export class AssignmentPageService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AssignmentsService) private readonly assignments: AssignmentsService,
    @Inject(PlanDirectory) private readonly plans: PlanDirectory,
  ) {}

  async load(user: CurrentUser, id: string): Promise<AssignmentPage> {
    const row = await this.assignments.get(user, id);
    const approvals = await this.db.getRepository(ApprovalEntity).find({ where: { assignmentId: id }, order: { version: 'ASC' } });
    const submissions: SubmissionView[] = row.state.submissions.map((s, i, all) => {
      if (i === 0) return { ...s };
      const { html, changed } = renderDraftDiff(all[i - 1].text, s.text);
      return { ...s, diffHtml: html, changed };
    });
    const open = approvals.find((a) => a.id === row.approvalId && !a.state.outcome);
    return {
      row,
      plan: await this.plans.ofKey(row.planKey),
      submissions,
      approvals: approvals.map((approval) => ({ approval, steps: stepsOf(approval) })),
      decide: open ? await this.decisionFor(user, open) : undefined,
      submit: this.submissionFor(user, row),
      approvalOpening: row.lifecycle === 'awaiting-approval' && !open,
      extension: extensionFor(user, row),
    };
  }

  /**
   * Waits briefly until the read model shows what an action did (the worker projects it a
   * moment after the Update returns), so the page after a form is not stale. Gives up quietly.
   */
  async settle(assignmentId: string, done: (row: AssignmentEntity, approval: ApprovalEntity | null) => boolean, timeoutMs = 3000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const row = await this.db.getRepository(AssignmentEntity).findOneBy({ id: assignmentId });
      const approval = row?.approvalId ? await this.db.getRepository(ApprovalEntity).findOneBy({ id: row.approvalId }) : null;
      if (row && done(row, approval)) return;
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  private async decisionFor(user: CurrentUser, approval: ApprovalEntity): Promise<AssignmentPage['decide']> {
    const step = currentStep(approval.state);
    if (!step || !user.roles.some((r) => DECIDES.includes(r))) return undefined;
    const holds = user.unit === step.unit && user.roles.includes(step.role as never);
    const delegated = !holds && (await this.hasDelegation(user, step));
    if (!holds && !delegated) return undefined;
    return { approvalId: approval.id, version: approval.version, step, delegated };
  }

  private submissionFor(user: CurrentUser, row: AssignmentEntity): AssignmentPage['submit'] {
    if (row.lifecycle !== 'open') return undefined;
    try {
      assertCanSubmit(user, row.leadUnit);
    } catch {
      return undefined;
    }
    const report = REPORT_KINDS.includes(row.kind);
    return {
      version: row.state.submissions.length + 1,
      endpointKinds: report ? REPORT_KINDS : ['drafting'],
      report,
      previousText: row.state.submissions.at(-1)?.text ?? '',
    };
  }

  private async hasDelegation(user: CurrentUser, step: ApprovalStepSpec): Promise<boolean> {
    const today = localToday();
    const found = await this.db
      .getRepository(DelegationEntity)
      .createQueryBuilder('d')
      .innerJoin(UserEntity, 'u', 'u.id = d.from_user_id')
      .where('d.to_user_id = :me AND d.valid_from <= :today AND d.valid_to >= :today', { me: user.userId, today })
      .andWhere('u.unit_code = :unit AND :role = ANY(u.roles) AND u.active', { unit: step.unit, role: step.role })
      .getCount();
    return found > 0;
  }
}

const FINAL = ['done', 'rejected', 'cancelled'];

function extensionFor(user: CurrentUser, row: AssignmentEntity): ExtensionView {
  const pending = row.state.extensions.find((x) => x.status === 'pending');
  return {
    canRequest: !FINAL.includes(row.lifecycle) && !pending && user.roles.includes('unit-head') && user.unit === row.leadUnit,
    pending,
    canDecide: !!pending && user.roles.includes('standing-office'),
    moved: row.state.deadline.dueAt !== row.state.originalDeadline.dueAt,
  };
}

function stepsOf(approval: ApprovalEntity): ChainStepView[] {
  const { chain, decisions, stepIndex, outcome } = approval.state;
  return chain.map((step, i) => {
    const decision = [...decisions].reverse().find((d) => d.step === step.step);
    if (decision) return { ...step, state: 'decided', decision };
    if (!outcome && i === stepIndex) return { ...step, state: 'waiting' };
    return { ...step, state: 'later' };
  });
}
