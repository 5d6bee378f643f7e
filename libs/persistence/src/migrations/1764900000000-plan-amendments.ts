import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Amendments (issue 9): a plan version applied to an already running version of the same
 * plan records which one it amends, when, by whom, why and what it changed.
 */
export class PlanAmendments1764900000000 implements MigrationInterface {
  name = 'PlanAmendments1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE plan_versions
        ADD COLUMN amends_key text NULL REFERENCES plan_versions (key),
        ADD COLUMN amended_at timestamptz NULL,
        ADD COLUMN amended_by text NULL,
        ADD COLUMN amendment_reason text NULL,
        ADD COLUMN amendment_diff jsonb NULL`);
    await q.query(`CREATE INDEX ix_plan_versions_amends_key ON plan_versions (amends_key, amended_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_plan_versions_amends_key`);
    await q.query(`
      ALTER TABLE plan_versions
        DROP COLUMN amendment_diff, DROP COLUMN amendment_reason, DROP COLUMN amended_by,
        DROP COLUMN amended_at, DROP COLUMN amends_key`);
  }
}
