import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who is waited on, since when and until when (issue 13): the open approval step's wait,
 * so inboxes and the dashboard read it without unpacking the state.
 */
export class WaitingOn1764600000000 implements MigrationInterface {
  name = 'WaitingOn1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE approvals ADD COLUMN step_since timestamptz, ADD COLUMN step_due_at timestamptz, ADD COLUMN step_level int`);
    await q.query(`CREATE INDEX ix_approvals_step_due ON approvals (step_unit, step_due_at) WHERE step_due_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_approvals_step_due`);
    await q.query(`ALTER TABLE approvals DROP COLUMN IF EXISTS step_since, DROP COLUMN IF EXISTS step_due_at, DROP COLUMN IF EXISTS step_level`);
  }
}
