import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Auditing (issue 8): the tamper-evident archive of closed workflow runs, histories
 * imported from files, refused attempts (which Temporal does not keep), and people's
 * positions for the timeline.
 */
export class Audit1764400000000 implements MigrationInterface {
  name = 'Audit1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN position text`);
    // history is text, not jsonb: the digest covers these exact bytes (canonical JSON).
    await q.query(`
      CREATE TABLE workflow_archive (
        id serial PRIMARY KEY,
        namespace text NOT NULL,
        workflow_id text NOT NULL,
        run_id text NOT NULL,
        workflow_type text NOT NULL,
        closed_at timestamptz NOT NULL,
        history text NOT NULL,
        digest char(64) NOT NULL,
        previous_digest char(64) NOT NULL,
        archived_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_workflow_archive_run UNIQUE (namespace, run_id)
      )`);
    await q.query(`CREATE INDEX ix_workflow_archive_workflow ON workflow_archive (namespace, workflow_id)`);
    await q.query(`
      CREATE TABLE imported_histories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workflow_id text NOT NULL,
        workflow_type text NOT NULL,
        runs jsonb NOT NULL,
        digest char(64) NOT NULL,
        imported_by text,
        imported_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE audit_refusals (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        user_id text NOT NULL,
        user_name text NOT NULL,
        unit_code text NOT NULL,
        roles text[] NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        workflow_id text,
        status int NOT NULL,
        code text NOT NULL,
        reason text NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_audit_refusals_workflow ON audit_refusals (workflow_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_refusals`);
    await q.query(`DROP TABLE imported_histories`);
    await q.query(`DROP TABLE workflow_archive`);
    await q.query(`ALTER TABLE users DROP COLUMN position`);
  }
}
