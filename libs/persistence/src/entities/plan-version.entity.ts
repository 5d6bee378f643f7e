import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** One imported version of a plan definition. Versions are never overwritten. */
@Entity('plan_versions')
@Unique('uq_plan_versions_code_version', ['code', 'version'])
@Unique('uq_plan_versions_code_fingerprint', ['code', 'fingerprint'])
export class PlanVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'int' })
  version!: number;

  /** The key used in workflow ids: `<code>@v<version>`. */
  @Column({ type: 'text', unique: true })
  key!: string;

  @Column({ type: 'text' })
  number!: string;

  @Column({ type: 'text' })
  title!: string;

  /** sha256 of the canonical JSON of the definition: same file, same fingerprint. */
  @Column({ type: 'text' })
  fingerprint!: string;

  @Column({ type: 'jsonb' })
  definition!: unknown;

  @Column({ name: 'imported_by', type: 'text' })
  importedBy!: string;

  @CreateDateColumn({ name: 'imported_at', type: 'timestamptz' })
  importedAt!: Date;

  @Column({ name: 'launched_at', type: 'timestamptz', nullable: true })
  launchedAt!: Date | null;

  /** The assignment ids a partial launch (and each later launch) gave out; null = the whole plan. */
  @Column({ name: 'launched_assignments', type: 'text', array: true, nullable: true })
  launchedAssignments!: string[] | null;

  @Column({ name: 'workflow_id', type: 'text', nullable: true })
  workflowId!: string | null;

  /** Set when this version was applied as an amendment to the running version `amends_key`. */
  @Column({ name: 'amends_key', type: 'text', nullable: true })
  amendsKey!: string | null;

  @Column({ name: 'amended_at', type: 'timestamptz', nullable: true })
  amendedAt!: Date | null;

  @Column({ name: 'amended_by', type: 'text', nullable: true })
  amendedBy!: string | null;

  @Column({ name: 'amendment_reason', type: 'text', nullable: true })
  amendmentReason!: string | null;

  /** The difference applied (PlanAmendmentDiff), as confirmed. */
  @Column({ name: 'amendment_diff', type: 'jsonb', nullable: true })
  amendmentDiff!: unknown;
}
