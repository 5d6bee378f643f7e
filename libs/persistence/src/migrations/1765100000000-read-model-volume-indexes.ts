import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the read model at volume (issue 12; plans checked with EXPLAIN in bench/benchmarks/api.ts):
 * the API's assignment list filters by plan or unit and lifecycle and pages in deadline order, and the
 * inbox lists a unit's open or awaiting assignments in deadline order. With these the page is read in
 * index order (no sort of every matching row); the matrix reads a plan's rows by unit.
 */
export class ReadModelVolumeIndexes1765100000000 implements MigrationInterface {
  name = 'ReadModelVolumeIndexes1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS ix_assignments_plan_lifecycle_due ON assignments (plan_key, lifecycle, due_at, id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS ix_assignments_unit_lifecycle_due ON assignments (lead_unit, lifecycle, due_at, id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS ix_assignments_plan_unit ON assignments (plan_key, lead_unit, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_assignments_plan_unit`);
    await q.query(`DROP INDEX IF EXISTS ix_assignments_unit_lifecycle_due`);
    await q.query(`DROP INDEX IF EXISTS ix_assignments_plan_lifecycle_due`);
  }
}
