import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11: server-side sessions (logout ends them), a per-account login back-off,
 * revocable delegations, and Idempotency-Keys claimed before the work runs.
 */
export class SessionsDelegationsIdempotency1764300000000 implements MigrationInterface {
  name = 'SessionsDelegationsIdempotency1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        via text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_sessions_user ON sessions (user_id)`);
    await q.query(`
      CREATE TABLE login_failures (
        account text PRIMARY KEY,
        failures int NOT NULL,
        last_failed_at timestamptz NOT NULL,
        locked_until timestamptz
      )`);
    await q.query(`ALTER TABLE delegations ADD COLUMN revoked_at timestamptz, ADD COLUMN revoked_by uuid REFERENCES users(id)`);
    await q.query(`CREATE INDEX ix_delegations_to ON delegations (to_user_id)`);
    // A key is claimed (pending: completed_at NULL) before the request runs, so concurrent retries wait for one answer.
    await q.query(`ALTER TABLE idempotency_keys ALTER COLUMN status_code DROP NOT NULL, ALTER COLUMN response DROP NOT NULL`);
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN claimed_at timestamptz NOT NULL DEFAULT now(), ADD COLUMN completed_at timestamptz`);
    await q.query(`UPDATE idempotency_keys SET completed_at = created_at, claimed_at = created_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM idempotency_keys WHERE completed_at IS NULL`);
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN completed_at, DROP COLUMN claimed_at`);
    await q.query(`ALTER TABLE idempotency_keys ALTER COLUMN status_code SET NOT NULL, ALTER COLUMN response SET NOT NULL`);
    await q.query(`DROP INDEX IF EXISTS ix_delegations_to`);
    await q.query(`ALTER TABLE delegations DROP COLUMN revoked_by, DROP COLUMN revoked_at`);
    await q.query(`DROP TABLE IF EXISTS login_failures`);
    await q.query(`DROP TABLE IF EXISTS sessions`);
  }
}
