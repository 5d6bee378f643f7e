import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 10: the language a person reads in (chosen in the web UI), so e-mails to them use it too. */
export class UserLanguage1765600000001 implements MigrationInterface {
  name = 'UserLanguage1765600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT 'vi' CONSTRAINT ck_users_language CHECK (language IN ('vi', 'en'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN IF EXISTS language`);
  }
}
