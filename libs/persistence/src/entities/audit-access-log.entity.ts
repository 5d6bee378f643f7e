import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One audit view, export, verification or dossier download (auditing the auditors): who
 * looked at what, when, and what answer they got. Written before the answer is sent, so a
 * view the log could not record is refused rather than left unrecorded.
 */
@Entity('audit_access_log')
@Index('ix_audit_access_log_at', ['at'])
export class AuditAccessLogEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ type: 'text' })
  username!: string;

  /** The person's display name as it was then (names change; the log should not). */
  @Column({ name: 'user_name', type: 'text' })
  userName!: string;

  @Column({ name: 'user_unit', type: 'text' })
  userUnit!: string;

  @Column({ name: 'user_roles', type: 'text', array: true })
  userRoles!: string[];

  /** What was done: `timeline.view`, `history.export`, `verify.plan`, `dossier.download`, ... */
  @Column({ type: 'text' })
  action!: string;

  /** What it was done to: a workflow id, a plan code, `archive`, or empty for lists. */
  @Column({ type: 'text' })
  target!: string;

  /** `web` (the pages) or `api` (bearer token clients). */
  @Column({ type: 'text' })
  channel!: string;

  @Column({ type: 'text' })
  method!: string;

  @Column({ type: 'text' })
  path!: string;

  /** The HTTP status answered; null while the request is still being answered. */
  @Column({ type: 'int', nullable: true })
  status!: number | null;
}
