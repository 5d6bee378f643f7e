import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Consecutive failed logins of one account name (known or not), for the per-account back-off. */
@Entity('login_failures')
export class LoginFailureEntity {
  @PrimaryColumn({ type: 'text' })
  account!: string;

  @Column({ type: 'int' })
  failures!: number;

  @Column({ name: 'last_failed_at', type: 'timestamptz' })
  lastFailedAt!: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;
}
