import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, target 6 (plans checked with EXPLAIN in bench/benchmarks/api.ts): a unit's assignments in
 * update-time order, carrying the two status columns. "Unit, overdue, newest first" then reads the
 * unit's index entries newest first and stops at the page (it sorted every row of the unit: 1 s at
 * 100,000 assignments), and that filter's count is an index-only scan instead of a heap read of
 * every row of the unit. Ties on `updated_at` are ordered by `id` with an incremental sort, so the
 * same index serves both directions.
 */
export class ListVolumeIndexes1765700000000 implements MigrationInterface {
  name = 'ListVolumeIndexes1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS ix_assignments_unit_updated ON assignments (lead_unit, updated_at, id) INCLUDE (status_settled, due_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_assignments_unit_updated`);
  }
}
