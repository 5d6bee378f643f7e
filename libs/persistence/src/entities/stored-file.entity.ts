import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A file uploaded with a draft or report. The row says what it is (name, size, media type
 * read from the content, SHA-256) and whose assignment it belongs to; the bytes sit in the
 * file store under their hash (PostgreSQL `file_blob`, a folder, or an S3 bucket).
 */
@Entity('stored_file')
@Index('ix_stored_file_assignment', ['assignmentId'])
export class StoredFileEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'assignment_id', type: 'text' })
  assignmentId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  size!: number;

  @Column({ name: 'media_type', type: 'text' })
  mediaType!: string;

  /** Hex SHA-256 of the content; also the key in the file store. */
  @Column({ type: 'char', length: 64 })
  sha256!: string;

  /** Which store holds the bytes: `postgres`, `fs` or `s3`. */
  @Column({ type: 'text' })
  store!: string;

  @Column({ name: 'uploaded_by', type: 'text' })
  uploadedBy!: string;

  @CreateDateColumn({ name: 'uploaded_at', type: 'timestamptz' })
  uploadedAt!: Date;
}

/** The bytes of stored files when the file store is PostgreSQL, one row per distinct content. */
@Entity('file_blob')
export class FileBlobEntity {
  @PrimaryColumn({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'bytea' })
  content!: Buffer;
}
