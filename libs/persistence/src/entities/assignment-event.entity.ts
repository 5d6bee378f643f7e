import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The events of an assignment as the workflow folded them, numbered; keyed so retries never duplicate. */
@Entity('assignment_events')
export class AssignmentEventEntity {
  @PrimaryColumn({ name: 'assignment_id', type: 'text' })
  assignmentId!: string;

  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'jsonb' })
  payload!: unknown;
}
