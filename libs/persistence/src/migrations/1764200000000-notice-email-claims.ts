import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail bookkeeping per notice row, so a mail is sent at most once even when the
 * database write after sending fails (see the worker's NoticeActivities).
 */
export class NoticeEmailClaims1764200000000 implements MigrationInterface {
  name = 'NoticeEmailClaims1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notifications
        ADD COLUMN email_message_id text,
        ADD COLUMN email_claimed_at timestamptz,
        ADD COLUMN email_failed_at timestamptz,
        ADD COLUMN email_error text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notifications
        DROP COLUMN email_error,
        DROP COLUMN email_failed_at,
        DROP COLUMN email_claimed_at,
        DROP COLUMN email_message_id`);
  }
}
