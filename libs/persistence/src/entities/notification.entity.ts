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

  /** The roles in that unit the notice is for (e.g. unit heads for a first escalation); empty = everyone. */
  @Column({ name: 'recipient_roles', type: 'text', array: true, default: () => "'{}'" })
  recipientRoles!: string[];

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

  /** Deterministic Message-ID (from key + unit), so receivers can drop a duplicate. */
  @Column({ name: 'email_message_id', type: 'text', nullable: true })
  emailMessageId!: string | null;

  /** Set just before sending; with no `emailed_at` it means the outcome of that send is unknown. */
  @Column({ name: 'email_claimed_at', type: 'timestamptz', nullable: true })
  emailClaimedAt!: Date | null;

  /** The SMTP server refused the mail for good (5xx); it is not tried again. */
  @Column({ name: 'email_failed_at', type: 'timestamptz', nullable: true })
  emailFailedAt!: Date | null;

  @Column({ name: 'email_error', type: 'text', nullable: true })
  emailError!: string | null;

  /** Before issue 10 a notice was read per unit; people now mark it read for themselves (notification_reads). */
  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;
}
