import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Real attachments (issue 10): uploaded files' descriptions, and their bytes when PostgreSQL is the file store. */
export class StoredFiles1765200000000 implements MigrationInterface {
  name = 'StoredFiles1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stored_file (
        id uuid PRIMARY KEY,
        assignment_id text NOT NULL,
        name text NOT NULL,
        size bigint NOT NULL CHECK (size >= 0),
        media_type text NOT NULL,
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        store text NOT NULL,
        uploaded_by text NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_stored_file_assignment ON stored_file (assignment_id)`);
    await q.query(`
      CREATE TABLE file_blob (
        sha256 char(64) PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        content bytea NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS file_blob`);
    await q.query(`DROP TABLE IF EXISTS stored_file`);
  }
}
