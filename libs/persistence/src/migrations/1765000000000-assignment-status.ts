import type { MigrationInterface, QueryRunner } from 'typeorm';
import { settledStatus, type AssignmentState } from '@dieu-hanh/domain/assignment';

/**
 * Issue 10: the read model keeps the settled part of the one status definition
 * (libs/domain `settledStatus`) so SQL filters, counts and sorts use the same rule as the
 * pages; the clock's part is compared with `due_at` at query time. Existing rows are filled
 * from their stored reducer state by the same function, not by a SQL copy of it.
 */
export class AssignmentStatus1765000000000 implements MigrationInterface {
  name = 'AssignmentStatus1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE assignments ADD COLUMN status_settled text`);
    const rows: { id: string; state: AssignmentState }[] = await q.query(`SELECT id, state FROM assignments WHERE lifecycle <> 'open'`);
    for (const row of rows) {
      await q.query(`UPDATE assignments SET status_settled = $2 WHERE id = $1`, [row.id, settledStatus(row.state)]);
    }
    await q.query(`CREATE INDEX ix_assignments_status ON assignments (status_settled, due_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_assignments_status`);
    await q.query(`ALTER TABLE assignments DROP COLUMN IF EXISTS status_settled`);
  }
}
