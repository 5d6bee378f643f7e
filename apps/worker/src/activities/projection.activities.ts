import type { DataSource, EntityManager } from 'typeorm';
import type { ApprovalProjection, AssignmentProjection } from '@dieu-hanh/workflows';
import { currentStep, openStepWait, settledStatus } from '@dieu-hanh/domain/assignment';
import { classified, storableJson, storableParams } from './read-model-errors';

/**
 * Writes workflow state into the PostgreSQL read model. Every write is keyed
 * (assignment id + seq, approval id + seq) so a retried activity changes nothing.
 * Text is made storable first (see `storable`), and errors are classified: data
 * PostgreSQL refuses fails for good with a code, an outage is retried.
 */
export class ProjectionActivities {
  constructor(private readonly db: DataSource) {}

  projectAssignment(input: AssignmentProjection): Promise<void> {
    return classified(`projecting ${input.spec.id}`, () => this.db.transaction((tx) => writeAssignment(tx, input)));
  }

  projectApproval(input: ApprovalProjection): Promise<void> {
    return classified(`projecting ${input.state.approvalId}`, () => writeApproval(this.db, input));
  }
}

type Queryable = Pick<EntityManager, 'query'>;

/** An assignment's projection; `tx` is a transaction (events and row together). */
export function writeAssignment(tx: Queryable, projection: AssignmentProjection): Promise<void> {
  return writeAssignments(tx, [projection]);
}

/**
 * Projections of several assignments (distinct ids), in two statements: their events, then their
 * rows. Keyed as one: an event already written is left alone (assignment id + seq), a row is only
 * replaced by a later seq, so a retry, or an older projection arriving late, changes nothing.
 */
export async function writeAssignments(tx: Queryable, projections: readonly AssignmentProjection[]): Promise<void> {
  const events = projections.flatMap(({ spec, events, firstSeq }) => events.map((event, i) => [spec.id, firstSeq + i, event.type, event.at, storableJson(event)]));
  if (events.length > 0) {
    await tx.query(
      `INSERT INTO assignment_events (assignment_id, seq, type, at, payload) VALUES ${valuesList(events.length, 5)}
       ON CONFLICT (assignment_id, seq) DO NOTHING`,
      storableParams(events.flat()),
    );
  }
  if (projections.length === 0) return;
  const rows = projections.map(({ spec, state }) => [
    spec.id,
    spec.planId,
    spec.kind,
    spec.taskCodes,
    spec.leadUnit,
    spec.coordinatingUnits,
    spec.title,
    state.lifecycle,
    state.deadline.nominal,
    state.deadline.effective,
    state.deadline.dueAt,
    state.originalDeadline.dueAt,
    state.escalationLevel,
    state.submissions.length,
    state.approvalId ?? null,
    state.submissions[0]?.at ?? null,
    state.completedAt ?? null,
    state.seq,
    storableJson(spec),
    storableJson(state),
    settledStatus(state),
  ]);
  await tx.query(
    `INSERT INTO assignments (id, plan_key, kind, task_codes, lead_unit, coordinating_units, title, lifecycle,
       nominal_deadline, effective_deadline, due_at, original_due_at, escalation_level, submission_count,
       approval_id, first_submitted_at, completed_at, seq, spec, state, status_settled, updated_at)
     VALUES ${valuesList(rows.length, 21, 'now()')}
     ON CONFLICT (id) DO UPDATE SET lifecycle = EXCLUDED.lifecycle, nominal_deadline = EXCLUDED.nominal_deadline,
       effective_deadline = EXCLUDED.effective_deadline, due_at = EXCLUDED.due_at, escalation_level = EXCLUDED.escalation_level,
       submission_count = EXCLUDED.submission_count, approval_id = EXCLUDED.approval_id,
       first_submitted_at = EXCLUDED.first_submitted_at, completed_at = EXCLUDED.completed_at, seq = EXCLUDED.seq,
       state = EXCLUDED.state, status_settled = EXCLUDED.status_settled, lead_unit = EXCLUDED.lead_unit, coordinating_units = EXCLUDED.coordinating_units,
       spec = EXCLUDED.spec, updated_at = now()
     WHERE assignments.seq < EXCLUDED.seq`,
    storableParams(rows.flat()),
  );
}

/** `($1,…,$n), ($n+1,…)`: `count` tuples of `width` parameters, each followed by `tail` when given. */
function valuesList(count: number, width: number, tail?: string): string {
  return Array.from({ length: count }, (_, r) => `(${[...Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`), ...(tail ? [tail] : [])].join(', ')})`).join(', ');
}

export async function writeApproval(q: Queryable, { state, planId, leadUnit }: ApprovalProjection): Promise<void> {
  const step = currentStep(state);
  const wait = openStepWait(state);
  await q.query(
    `INSERT INTO approvals (id, assignment_id, plan_key, lead_unit, version, current_step, step_unit, step_role,
       outcome, seq, state, updated_at, step_since, step_due_at, step_level)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11, now(), $12, $13, $14)
     ON CONFLICT (id) DO UPDATE SET current_step = EXCLUDED.current_step, step_unit = EXCLUDED.step_unit,
       step_role = EXCLUDED.step_role, outcome = EXCLUDED.outcome, seq = EXCLUDED.seq, state = EXCLUDED.state,
       updated_at = now(), step_since = EXCLUDED.step_since, step_due_at = EXCLUDED.step_due_at, step_level = EXCLUDED.step_level
     WHERE approvals.seq < EXCLUDED.seq`,
    storableParams([
      state.approvalId,
      state.assignmentId,
      planId,
      leadUnit,
      state.version,
      step?.step ?? null,
      step?.unit ?? null,
      step?.role ?? null,
      state.outcome ?? null,
      state.seq,
      storableJson(state),
      wait?.since ?? null,
      wait?.deadline?.dueAt ?? null,
      wait ? wait.level : null,
    ]),
  );
}
