import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialReadModel1764160000000 implements MigrationInterface {
  name = 'InitialReadModel1764160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE plan_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL,
        version int NOT NULL,
        key text NOT NULL,
        number text NOT NULL,
        title text NOT NULL,
        fingerprint text NOT NULL,
        definition jsonb NOT NULL,
        imported_by text NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now(),
        launched_at timestamptz,
        workflow_id text,
        CONSTRAINT uq_plan_versions_code_version UNIQUE (code, version),
        CONSTRAINT uq_plan_versions_code_fingerprint UNIQUE (code, fingerprint),
        CONSTRAINT uq_plan_versions_key UNIQUE (key)
      )`);
    await q.query(`
      CREATE TABLE assignments (
        id text PRIMARY KEY,
        plan_key text NOT NULL,
        kind text NOT NULL,
        task_codes text[] NOT NULL,
        lead_unit text NOT NULL,
        coordinating_units text[] NOT NULL,
        title text NOT NULL,
        lifecycle text NOT NULL,
        nominal_deadline date NOT NULL,
        effective_deadline date NOT NULL,
        due_at timestamptz NOT NULL,
        original_due_at timestamptz NOT NULL,
        escalation_level int NOT NULL,
        submission_count int NOT NULL,
        approval_id text,
        first_submitted_at timestamptz,
        completed_at timestamptz,
        seq int NOT NULL,
        spec jsonb NOT NULL,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_assignments_plan_kind ON assignments (plan_key, kind)`);
    await q.query(`CREATE INDEX ix_assignments_unit ON assignments (lead_unit)`);
    await q.query(`CREATE INDEX ix_assignments_due ON assignments (due_at)`);
    await q.query(`
      CREATE TABLE assignment_events (
        assignment_id text NOT NULL,
        seq int NOT NULL,
        type text NOT NULL,
        at timestamptz NOT NULL,
        payload jsonb NOT NULL,
        PRIMARY KEY (assignment_id, seq)
      )`);
    await q.query(`
      CREATE TABLE approvals (
        id text PRIMARY KEY,
        assignment_id text NOT NULL,
        plan_key text NOT NULL,
        lead_unit text NOT NULL,
        version int NOT NULL,
        current_step text,
        step_unit text,
        step_role text,
        outcome text,
        seq int NOT NULL,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_approvals_assignment ON approvals (assignment_id)`);
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL,
        recipient_unit text NOT NULL,
        assignment_id text NOT NULL,
        plan_key text NOT NULL,
        kind text NOT NULL,
        level int NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        emailed_at timestamptz,
        read_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_notifications_key_unit ON notifications (key, recipient_unit)`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE,
        display_name text NOT NULL,
        email text,
        password_hash text NOT NULL,
        unit_code text NOT NULL,
        roles text[] NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE delegations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        from_user_id uuid NOT NULL REFERENCES users(id),
        to_user_id uuid NOT NULL REFERENCES users(id),
        valid_from date NOT NULL,
        valid_to date NOT NULL,
        reason text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_delegations_range CHECK (valid_from <= valid_to)
      )`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        key text NOT NULL,
        user_id text NOT NULL,
        request_hash text NOT NULL,
        status_code int NOT NULL,
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (key, user_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['idempotency_keys', 'delegations', 'users', 'notifications', 'approvals', 'assignment_events', 'assignments', 'plan_versions']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
