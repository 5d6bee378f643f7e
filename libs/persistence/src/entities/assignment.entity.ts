import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AssignmentSpec, AssignmentState, SettledStatus } from '@dieu-hanh/domain/assignment';

/**
 * Read-model row of one assignment, written only by the worker's projection activity
 * from the workflow's reducer state. `seq` orders snapshots so a late or retried write
 * never replaces a newer one.
 */
@Entity('assignments')
@Index('ix_assignments_plan_kind', ['planKey', 'kind'])
@Index('ix_assignments_unit', ['leadUnit'])
@Index('ix_assignments_due', ['dueAt'])
// Paged lists and inboxes at volume (migration 1765100000000).
@Index('ix_assignments_plan_lifecycle_due', ['planKey', 'lifecycle', 'dueAt', 'id'])
@Index('ix_assignments_unit_lifecycle_due', ['leadUnit', 'lifecycle', 'dueAt', 'id'])
@Index('ix_assignments_plan_unit', ['planKey', 'leadUnit', 'id'])
// Also ix_assignments_unit_updated (lead_unit, updated_at, id) INCLUDE (status_settled, due_at), migration
// 1765700000000: a decorator cannot say INCLUDE. The inbox's queue indexes and the generated column
// `sent_back` (not mapped here: PostgreSQL computes it from `state`) are in migration 1765700000001.
export class AssignmentEntity {
  /** Business key and Temporal workflow id. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'plan_key', type: 'text' })
  planKey!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ name: 'task_codes', type: 'text', array: true })
  taskCodes!: string[];

  @Column({ name: 'lead_unit', type: 'text' })
  leadUnit!: string;

  @Column({ name: 'coordinating_units', type: 'text', array: true })
  coordinatingUnits!: string[];

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  lifecycle!: string;

  @Column({ name: 'nominal_deadline', type: 'date' })
  nominalDeadline!: string;

  @Column({ name: 'effective_deadline', type: 'date' })
  effectiveDeadline!: string;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'original_due_at', type: 'timestamptz' })
  originalDueAt!: Date;

  @Column({ name: 'escalation_level', type: 'int' })
  escalationLevel!: number;

  @Column({ name: 'submission_count', type: 'int' })
  submissionCount!: number;

  @Column({ name: 'approval_id', type: 'text', nullable: true })
  approvalId!: string | null;

  @Column({ name: 'first_submitted_at', type: 'timestamptz', nullable: true })
  firstSubmittedAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /**
   * The settled part of the status (libs/domain `settledStatus`): null while open, when the
   * clock decides from `due_at` (see `statusSqlFilter`).
   */
  @Column({ name: 'status_settled', type: 'text', nullable: true })
  statusSettled!: SettledStatus | null;

  @Column({ type: 'int' })
  seq!: number;

  @Column({ type: 'jsonb' })
  spec!: AssignmentSpec;

  @Column({ type: 'jsonb' })
  state!: AssignmentState;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
