import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ApprovalState } from '@dieu-hanh/domain/assignment';

@Entity('approvals')
@Index('ix_approvals_assignment', ['assignmentId'])
export class ApprovalEntity {
  /** Temporal workflow id: `approval:<assignment id>:v<version>`. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'assignment_id', type: 'text' })
  assignmentId!: string;

  @Column({ name: 'plan_key', type: 'text' })
  planKey!: string;

  @Column({ name: 'lead_unit', type: 'text' })
  leadUnit!: string;

  @Column({ type: 'int' })
  version!: number;

  /** The step waiting for a decision, null once closed. */
  @Column({ name: 'current_step', type: 'text', nullable: true })
  currentStep!: string | null;

  @Column({ name: 'step_unit', type: 'text', nullable: true })
  currentUnit!: string | null;

  @Column({ name: 'step_role', type: 'text', nullable: true })
  currentRole!: string | null;

  /** Since when the open step waits, and until when (steps with a deadline; null otherwise). */
  @Column({ name: 'step_since', type: 'timestamptz', nullable: true })
  stepSince!: Date | null;

  @Column({ name: 'step_due_at', type: 'timestamptz', nullable: true })
  stepDueAt!: Date | null;

  /** The open step's escalation level (0 before its first escalation). */
  @Column({ name: 'step_level', type: 'int', nullable: true })
  stepLevel!: number | null;

  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Column({ type: 'int' })
  seq!: number;

  @Column({ type: 'jsonb' })
  state!: ApprovalState;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
