import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ROLES = ['drafter', 'unit-head', 'approver', 'standing-office', 'auditor', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  username!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  /** Unit code the person belongs to (from the plan's organisation). */
  @Column({ name: 'unit_code', type: 'text' })
  unitCode!: string;

  @Column({ type: 'text', array: true })
  roles!: Role[];

  /** Chức vụ (e.g. Chuyên viên, Chánh Văn phòng), shown on audit timelines; optional. */
  @Column({ type: 'text', nullable: true })
  position!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** The language the person chose in the web UI (vi, en); e-mails addressed to them use it. */
  @Column({ type: 'text', default: 'vi' })
  language!: 'vi' | 'en';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
