import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10: notices reach people, not only units. A notice keeps the roles it is meant for
 * (empty = everyone in the unit), and each person marks it read for themselves.
 */
export class NotificationsPerPerson1765000000001 implements MigrationInterface {
  name = 'NotificationsPerPerson1765000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN recipient_roles text[] NOT NULL DEFAULT '{}'`);
    // Earlier rows keep reaching the whole unit: which roles they were e-mailed to depended on the
    // plan's escalation policy then, which the row does not record.
    await q.query(`
      CREATE TABLE notification_reads (
        notification_id uuid NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id),
        read_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (notification_id, user_id)
      )`);
    await q.query(`CREATE INDEX ix_notification_reads_user ON notification_reads (user_id)`);
    await q.query(`CREATE INDEX ix_notifications_recipient ON notifications (recipient_unit, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_notifications_recipient`);
    await q.query(`DROP TABLE IF EXISTS notification_reads`);
    await q.query(`ALTER TABLE notifications DROP COLUMN IF EXISTS recipient_roles`);
  }
}
