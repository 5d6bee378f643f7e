import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, target 6: the inbox's queues as index scans at 100,000 assignments (plans checked
 * with EXPLAIN). Each of them read every row of the unit (or, for comment requests, every open
 * row of every unit) to look inside the reducer state:
 *
 * - `sent_back`: the one SQL definition of "sent back for changes" (open, and the last submission's
 *   outcome is request-changes), kept by PostgreSQL beside the state it is computed from, so the
 *   "to do" and "sent back" queues, and their counts, are read from an index in page order;
 * - `escalation_level` and `effective_deadline` carried in that index, for the unit's escalated queue and
 *   the filter form's periods;
 * - a GIN index on the state's waits, which the comment-request queue uses as a containment
 *   pre-filter before its exact test (a wait not yet closed).
 */
export class InboxQueueIndexes1765700000001 implements MigrationInterface {
  name = 'InboxQueueIndexes1765700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE assignments ADD COLUMN IF NOT EXISTS sent_back boolean
         GENERATED ALWAYS AS (lifecycle = 'open' AND coalesce((state->'submissions'->-1)->>'outcome', '') = 'request-changes') STORED`,
    );
    await q.query(`CREATE INDEX IF NOT EXISTS ix_assignments_unit_queue ON assignments (lead_unit, lifecycle, sent_back, plan_key, due_at, id) INCLUDE (escalation_level, effective_deadline)`);
    await q.query(`CREATE INDEX IF NOT EXISTS ix_assignments_waits ON assignments USING gin ((state->'waits') jsonb_path_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_assignments_waits`);
    await q.query(`DROP INDEX IF EXISTS ix_assignments_unit_queue`);
    await q.query(`ALTER TABLE assignments DROP COLUMN IF EXISTS sent_back`);
  }
}
