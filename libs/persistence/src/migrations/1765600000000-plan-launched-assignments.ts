import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10, "plans to launch": which assignments a launch gave out. NULL = all of the plan (every
 * launch before this column, and every full launch); a partial launch lists its ids and each
 * later launch adds its own, so the Standing Office's inbox can list plans with work still to
 * give out without asking Temporal.
 */
export class PlanLaunchedAssignments1765600000000 implements MigrationInterface {
  name = 'PlanLaunchedAssignments1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE plan_versions ADD COLUMN launched_assignments text[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE plan_versions DROP COLUMN IF EXISTS launched_assignments`);
  }
}
