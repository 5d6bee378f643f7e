import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An in-app notice for one unit (and e-mailed to its people when SMTP is set). */
@Entity('notifications')
@Index('uq_notifications_key_unit', ['key', 'recipientUnit'], { unique: true })
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The workflow's stable notice key; with the unit it makes a retried send a no-op. */
  @Column({ type: 'text' })
  key!: string;

  @Column({ name: 'recipient_unit', type: 'text' })
  recipientUnit!: string;

  @Column({ name: 'assignment_id', type: 'text' })
  assignmentId!: string;

  @Column({ name: 'plan_key', type: 'text' })
  planKey!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'int' })
  level!: number;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  body!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'emailed_at', type: 'timestamptz', nullable: true })
  emailedAt!: Date | null;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;
}
