import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AssignmentEntity } from '@dieu-hanh/persistence';
import { assignmentStatus, createWorkingCalendar, statusAt, statusClock, statusSqlFilter, statusSqlParams, type StatusClock, type StatusCode } from '@dieu-hanh/domain';
import { unitAccessSql } from '@dieu-hanh/domain/assignment';
import { answerDifficultyUpdate, assignmentStateQuery, submitUpdate, type SubmitResult } from '@dieu-hanh/workflows';
import { AppError, AppErrorCode } from '../common/app-error';
import { WorkflowGateway } from '../infra/workflow-gateway';
import { assertCanRead, assertCanSubmit, seesAllUnits } from '../auth/access-policy';
import type { CurrentUser } from '../auth/current-user';
import { FilesService, type AttachmentInput } from '../files/files.service';
import { translator, type Translate } from '../web/i18n/i18n';
import type { AttachmentDto, ListAssignmentsQuery, SubmitReportDto } from './assignment.dto';

/** A submission as the API and the web form hand it over: the files by id and hash, or by name and reference. */
export type SubmissionInput = Omit<SubmitReportDto, 'attachments'> & { attachments: (AttachmentDto | AttachmentInput)[] };

const attachmentInput = (a: AttachmentDto | AttachmentInput): AttachmentInput =>
  'fileId' in a && a.fileId !== undefined ? { fileId: a.fileId, sha256: a.sha256 ?? '' } : { name: (a as { name: string }).name, ref: (a as { ref: string }).ref };

/** The read-model columns the status SQL reads (alias `a`). */
export const ASSIGNMENT_STATUS_COLUMNS = { settled: 'a.status_settled', dueAt: 'a.due_at' };

const calendar = createWorkingCalendar();

@Injectable()
export class AssignmentsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(WorkflowGateway) private readonly workflows: WorkflowGateway,
    @Inject(FilesService) private readonly files: FilesService,
  ) {}

  async list(user: CurrentUser, q: ListAssignmentsQuery) {
    const qb = this.db.getRepository(AssignmentEntity).createQueryBuilder('a');
    if (!seesAllUnits(user)) qb.andWhere(unitAccessSql('a', 'own'), { own: user.unit });
    if (q.plan) qb.andWhere('a.plan_key = :plan', { plan: q.plan });
    if (q.unit) qb.andWhere('a.lead_unit = :unit', { unit: q.unit });
    if (q.kind) qb.andWhere('a.kind = :kind', { kind: q.kind });
    if (q.lifecycle) qb.andWhere('a.lifecycle = :lifecycle', { lifecycle: q.lifecycle });
    if (q.dueBefore) qb.andWhere('a.effective_deadline <= :dueBefore', { dueBefore: q.dueBefore });
    const now = new Date();
    const clock = statusClock(now, calendar);
    // One status definition (libs/domain): the SQL compares the same two instants as the function.
    const statuses: StatusCode[] | undefined = q.overdue === undefined ? q.status : q.overdue ? ['overdue'] : STATUSES_BUT_OVERDUE;
    if (statuses) qb.andWhere(statusSqlFilter(statuses, ASSIGNMENT_STATUS_COLUMNS), statusSqlParams(clock));
    const sort = q.sort ?? 'dueAt';
    const order = sort.endsWith('updatedAt') ? 'a.updated_at' : 'a.due_at';
    const direction = sort.startsWith('-') ? 'DESC' : 'ASC';
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    // Only the columns a summary shows (issue 12: whole rows carried the spec and state documents,
    // parsed per row), and count(*) rather than TypeORM's count(DISTINCT id), which sorts every
    // matching id: with the covering indexes both are index scans. The two run side by side.
    const [rows, count] = await Promise.all([
      qb.clone().select(SUMMARY_SELECT).orderBy(order, direction).addOrderBy('a.id', 'ASC').offset((page - 1) * pageSize).limit(pageSize).getRawMany<SummaryRow>(),
      qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>(),
    ]);
    return { page, pageSize, total: count?.n ?? 0, items: rows.map((a) => summaryOf(a, clock)) };
  }

  async get(user: CurrentUser, id: string): Promise<AssignmentEntity> {
    const row = await this.db.getRepository(AssignmentEntity).findOneBy({ id });
    if (!row) throw new AppError(AppErrorCode.NOT_FOUND, `no assignment ${id}`);
    assertCanRead(user, row.leadUnit, row.coordinatingUnits);
    return row;
  }

  async live(user: CurrentUser, id: string) {
    await this.get(user, id);
    return this.workflows.query(id, assignmentStateQuery);
  }

  async submit(user: CurrentUser, id: string, body: SubmissionInput, expectKinds: string[], t: Translate = translator('en')): Promise<SubmitResult> {
    const row = await this.get(user, id);
    assertCanSubmit(user, row.leadUnit);
    if (!expectKinds.includes(row.kind)) {
      throw new AppError(AppErrorCode.CONFLICT, `${id} is a ${row.kind} assignment; this endpoint takes ${expectKinds.join(' or ')}`, 'WRONG_KIND');
    }
    // Stored files travel by reference (id, name, size, media type, SHA-256), never as bytes.
    const attachments = await this.files.resolve(id, body.attachments.map(attachmentInput), t);
    return this.workflows.update(id, submitUpdate, {
      version: body.version,
      text: body.text,
      attachments,
      actor: { userId: user.userId, name: user.name, unit: user.unit, roles: user.roles },
      cites: body.cites,
      difficulties: body.difficulties,
    });
  }

  /** Answers the difficulties reported with a version; the workflow checks who may answer and whether it is still open. */
  async answerDifficulty(user: CurrentUser, id: string, body: { version: number; text: string }) {
    await this.get(user, id);
    const state = await this.workflows.update(id, answerDifficultyUpdate, {
      version: body.version,
      text: body.text,
      actor: { userId: user.userId, name: user.name, unit: user.unit, roles: user.roles },
    });
    const answered = state.submissions.find((s) => s.version === body.version)?.difficultyAnswer;
    return { assignmentId: id, version: body.version, answeredAt: answered?.at ?? new Date().toISOString() };
  }
}

const STATUSES_BUT_OVERDUE: StatusCode[] = ['not-due', 'due-soon', 'done-on-time', 'done-late', 'cancelled', 'rejected'];

/** The columns of a summary, as the list reads them (dates as text, as TypeORM hands `date` columns). */
type SummaryRow = Pick<
  AssignmentEntity,
  'id' | 'planKey' | 'kind' | 'taskCodes' | 'leadUnit' | 'title' | 'lifecycle' | 'nominalDeadline' | 'effectiveDeadline' | 'dueAt' | 'originalDueAt' | 'escalationLevel' | 'submissionCount' | 'approvalId' | 'completedAt' | 'statusSettled'
>;

const SUMMARY_COLUMNS: Record<keyof SummaryRow, string> = {
  id: 'a.id',
  planKey: 'a.plan_key',
  kind: 'a.kind',
  taskCodes: 'a.task_codes',
  leadUnit: 'a.lead_unit',
  title: 'a.title',
  lifecycle: 'a.lifecycle',
  nominalDeadline: 'a.nominal_deadline::text',
  effectiveDeadline: 'a.effective_deadline::text',
  dueAt: 'a.due_at',
  originalDueAt: 'a.original_due_at',
  escalationLevel: 'a.escalation_level',
  submissionCount: 'a.submission_count',
  approvalId: 'a.approval_id',
  completedAt: 'a.completed_at',
  statusSettled: 'a.status_settled',
};
const SUMMARY_SELECT = Object.entries(SUMMARY_COLUMNS).map(([alias, column]) => `${column} AS "${alias}"`);

/**
 * An assignment as lists show it. The status is the one definition's two parts as the read model
 * keeps them (settled status and deadline, written together from the reducer state by the
 * projection), so the status shown and the list's status filter use the same columns.
 */
function summaryOf(a: SummaryRow, clock: StatusClock) {
  return {
    id: a.id,
    planKey: a.planKey,
    kind: a.kind,
    taskCodes: a.taskCodes,
    leadUnit: a.leadUnit,
    title: a.title,
    lifecycle: a.lifecycle,
    status: statusAt(a.statusSettled, a.dueAt, clock),
    nominalDeadline: a.nominalDeadline,
    effectiveDeadline: a.effectiveDeadline,
    dueAt: a.dueAt,
    originalDueAt: a.originalDueAt,
    escalationLevel: a.escalationLevel,
    submissionCount: a.submissionCount,
    approvalId: a.approvalId,
    completedAt: a.completedAt,
  };
}

export function summary(a: AssignmentEntity, now = new Date()) {
  return {
    id: a.id,
    planKey: a.planKey,
    kind: a.kind,
    taskCodes: a.taskCodes,
    leadUnit: a.leadUnit,
    title: a.title,
    lifecycle: a.lifecycle,
    status: assignmentStatus(a.state, now, calendar),
    nominalDeadline: a.nominalDeadline,
    effectiveDeadline: a.effectiveDeadline,
    dueAt: a.dueAt,
    originalDueAt: a.originalDueAt,
    escalationLevel: a.escalationLevel,
    submissionCount: a.submissionCount,
    approvalId: a.approvalId,
    completedAt: a.completedAt,
  };
}
