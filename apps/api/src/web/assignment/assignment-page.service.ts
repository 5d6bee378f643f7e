import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApprovalEntity, AssignmentEntity } from '@dieu-hanh/persistence';
import { commentWaitRef, commentsAwaited, compareAttachments, coordinatingUnitsOf, currentStep, mayAnswerDifficulty, unansweredDifficulty, unitAccess, type ApprovalStepSpec, type AttachmentChanges, type CommentRequestRecord, type Deadline, type ExtensionRecord, type SubmissionRecord } from '@dieu-hanh/domain/assignment';
import { AssignmentsService } from '../../assignments/assignments.service';
import { DelegationsService } from '../../delegations/delegations.service';
import { DECIDING_ROLES, assertCanSubmit } from '../../auth/access-policy';
import type { CurrentUser } from '../../auth/current-user';
import { renderDraftDiff, type DraftDiff } from './draft-diff';
import { PlanDirectory, type PlanInfo } from '../plan-directory';
import { PeopleDirectory, type PersonRef } from '../people-directory';
import { DelegationEntity } from '@dieu-hanh/persistence';
import { localDateInVietnam, type Delegation } from '@dieu-hanh/domain';
import { DeadlineStatus } from '../deadline-status';
import type { Lang, Translate } from '../i18n/i18n';
import { openWaitsOf, waitView, waitWhat, type WaitView } from '../waiting-on.view';

const REPORT_KINDS = ['concretisation', 'monthly-report', 'review', 'policy-proposal', 'propaganda'];

export interface SubmissionView extends SubmissionRecord {
  /** Against the version before: the text side by side, sentence by sentence. */
  diff?: DraftDiff;
  /** Against the version before: files added, removed, changed (by hash). */
  files?: AttachmentChanges;
}

export interface ChainStepView extends ApprovalStepSpec {
  state: 'decided' | 'waiting' | 'later';
  decision?: ApprovalEntity['state']['decisions'][number];
  /** A decision taken on someone else's authority: the delegation's dates (inclusive, yyyy-mm-dd). */
  delegation?: { validFrom: string; validTo: string };
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
  decide?: { approvalId: string; version: number; step: ApprovalStepSpec; delegated: boolean; delegation?: Delegation };
  /** The report version whose difficulties this person may answer now (the body the report went to). */
  answerDifficulty?: { version: number };
  /** The version a submission would create, when this person may submit now. */
  submit?: { version: number; endpointKinds: string[]; report: boolean; previousText: string };
  /** Waiting for approval, but the approval's row is not projected yet. */
  approvalOpening: boolean;
  extension: ExtensionView;
  coordination: CoordinationView;
  /** Everyone who acted here, named as pages name people: name and position (or unit). */
  person: (p: PersonRef | undefined) => string;
  /** Who is waited on now (the open approval step, an extension decision, a difficulty's answer), in the reader's words. */
  waits: (lang: Lang, t: Translate, now?: Date) => WaitView[];
}

/** Xin ý kiến: the requests with each unit's answer or deadline, and what this person may do. */
export interface CoordinationView {
  requests: (CommentRequestRecord & { answers: { unit: string; answered?: CommentRecordView; deadline?: Deadline; level: number }[] })[];
  /** The lead unit may ask: the coordinating units it may pick and the plan's default working days. */
  ask?: { units: string[]; defaultDays?: number };
  /** The requests waiting for this person's unit (a coordinating unit asked). */
  answer: CommentRequestRecord[];
  /** The person reads as a coordinating unit: reading and commenting only. */
  coordinating: boolean;
}

type CommentRecordView = CommentRequestRecord['comments'][number];

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
    @Inject(DelegationsService) private readonly delegations: DelegationsService,
    @Inject(PeopleDirectory) private readonly people: PeopleDirectory,
    @Inject(DeadlineStatus) private readonly status: DeadlineStatus,
  ) {}

  async load(user: CurrentUser, id: string): Promise<AssignmentPage> {
    const row = await this.assignments.get(user, id);
    const approvals = await this.db.getRepository(ApprovalEntity).find({ where: { assignmentId: id }, order: { version: 'ASC' } });
    const submissions: SubmissionView[] = row.state.submissions.map((s, i, all) => {
      if (i === 0) return { ...s };
      return { ...s, diff: renderDraftDiff(all[i - 1].text, s.text), files: compareAttachments(all[i - 1].attachments, s.attachments) };
    });
    const open = approvals.find((a) => a.id === row.approvalId && !a.state.outcome);
    const plan = await this.plans.ofKey(row.planKey);
    const views = approvals.map((approval) => ({ approval, steps: stepsOf(approval) }));
    for (const step of views.flatMap((v) => v.steps)) if (step.decision?.onBehalfOf) step.delegation = await this.delegationUsed(step.decision);
    const decisions = approvals.flatMap((a) => a.state.decisions);
    const decide = open ? await this.decisionFor(user, open) : undefined;
    const person = await this.people.namer(
      [
        decide?.delegation?.from,
        ...row.state.submissions.flatMap((s) => [s.by, s.decidedBy, s.onBehalfOf]),
        ...decisions.flatMap((d) => [d.by, d.onBehalfOf]),
        ...row.state.extensions.flatMap((x) => [x.requestedBy, x.decidedBy]),
        ...(row.state.commentRequests ?? []).flatMap((r) => [r.requestedBy, ...r.comments.map((c) => c.by)]),
      ],
      plan?.unitName,
    );
    const openNow = openWaitsOf(row.state, open?.state);
    const holders = await this.people.holders(openNow.map((w) => w.unit));
    const unitName = plan?.unitName ?? ((code: string) => code);
    const waits = (lang: Lang, t: Translate, now = new Date()) =>
      openNow.map((w) => waitView(w, waitWhat(w, (step) => open?.state.chain.find((x) => x.step === step)?.label, t), { lang, t, now, status: this.status, unitName, holders }));
    return {
      row,
      plan,
      person,
      waits,
      submissions,
      approvals: views,
      decide,
      submit: this.submissionFor(user, row),
      answerDifficulty: difficultyAnswerFor(user, row),
      approvalOpening: row.lifecycle === 'awaiting-approval' && !open,
      extension: extensionFor(user, row),
      coordination: this.coordinationFor(user, row),
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
    if (!step || !user.roles.some((r) => DECIDING_ROLES.includes(r))) return undefined;
    const holds = user.unit === step.unit && user.roles.includes(step.role as never);
    const delegation = holds ? undefined : await this.delegations.inForceFor(user, step);
    if (!holds && !delegation) return undefined;
    return { approvalId: approval.id, version: approval.version, step, delegated: !holds, delegation };
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

  private coordinationFor(user: CurrentUser, row: AssignmentEntity): CoordinationView {
    const waits = row.state.waits ?? [];
    const requests = (row.state.commentRequests ?? []).map((r) => ({
      ...r,
      answers: r.units.map((unit) => {
        const wait = waits.find((w) => w.kind === 'coordination-comment' && w.ref === commentWaitRef(r.requestId, unit));
        return { unit, answered: r.comments.find((c) => c.unit === unit), deadline: wait?.deadline, level: wait?.level ?? 0 };
      }),
    }));
    const acts = user.roles.some((r) => r === 'drafter' || r === 'unit-head');
    const units = coordinatingUnitsOf(row.spec, row.state);
    const lead = !FINAL.includes(row.lifecycle) && acts && user.unit === row.leadUnit && units.length > 0;
    const days = row.spec.responseDeadlines?.coordinationComment?.limit;
    return {
      requests,
      ask: lead ? { units, defaultDays: days && 'workingDays' in days ? days.workingDays : undefined } : undefined,
      answer: acts ? commentsAwaited(row.state, user.unit) : [],
      coordinating: unitAccess(user, { leadUnit: row.leadUnit, coordinatingUnits: row.coordinatingUnits }) === 'coordinating',
    };
  }

  /** The delegation a decision was taken under: from the holder to the decider, in force on the day of the decision. */
  private async delegationUsed(decision: { by: PersonRef; onBehalfOf?: PersonRef; at: string }): Promise<{ validFrom: string; validTo: string } | undefined> {
    const day = localDateInVietnam(new Date(decision.at));
    const found = await this.db
      .getRepository(DelegationEntity)
      .createQueryBuilder('d')
      .where('d.from_user_id::text = :from AND d.to_user_id::text = :to AND d.valid_from <= :day AND d.valid_to >= :day', { from: decision.onBehalfOf?.userId, to: decision.by.userId, day })
      .orderBy('d.created_at', 'DESC')
      .getOne();
    return found ? { validFrom: found.validFrom, validTo: found.validTo } : undefined;
  }

}

const FINAL = ['done', 'rejected', 'cancelled'];

/** The same rule as the workflow's validator: the body the report went to (else the Standing Office), as approver or Standing Office. */
function difficultyAnswerFor(user: CurrentUser, row: AssignmentEntity): AssignmentPage['answerDifficulty'] {
  const open = unansweredDifficulty(row.state);
  // A done report waits for the answer only when its plan gives difficultyAnswer; otherwise its workflow has ended.
  const listening = !FINAL.includes(row.lifecycle) || row.spec.responseDeadlines?.difficultyAnswer !== undefined;
  if (!open || !listening || user.unit !== (row.spec.submitTo ?? row.spec.noticeUnits.standingOffice)) return undefined;
  return mayAnswerDifficulty(user.roles) ? { version: open.version } : undefined;
}

function extensionFor(user: CurrentUser, row: AssignmentEntity): ExtensionView {
  const pending = row.state.extensions.find((x) => x.status === 'pending');
  return {
    canRequest: !FINAL.includes(row.lifecycle) && !pending && user.roles.includes('unit-head') && user.unit === row.leadUnit,
    pending,
    // The same rule as the API (assertStandingOfficeOf): the role, in the plan's Standing Office unit.
    canDecide: !!pending && user.roles.includes('standing-office') && user.unit === row.spec.noticeUnits.standingOffice,
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
