import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Auditing the auditors (issue 8, item 7): every audit view, export, verification and dossier download. */
export class AuditAccessLog1764500000000 implements MigrationInterface {
  name = 'AuditAccessLog1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_access_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        at timestamptz NOT NULL DEFAULT now(),
        user_id text NOT NULL,
        username text NOT NULL,
        user_name text NOT NULL,
        user_unit text NOT NULL,
        user_roles text[] NOT NULL,
        action text NOT NULL,
        target text NOT NULL,
        channel text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        status int
      )`);
    await q.query(`CREATE INDEX ix_audit_access_log_at ON audit_access_log (at)`);
    await q.query(`CREATE INDEX ix_audit_access_log_target ON audit_access_log (target)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS audit_access_log`);
  }
}
