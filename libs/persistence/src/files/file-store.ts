/**
 * Where the bytes of uploaded files live, addressed by their SHA-256 (hex): the same content
 * is kept once, and what is read back can be checked against the name it was asked by.
 * Implementations: PostgreSQL (`file_blob`, the default), a folder, an S3-compatible bucket.
 * The DI token is the class itself.
 */
export abstract class FileStore {
  /** `postgres`, `fs` or `s3`: recorded with each file, so a later change of store is visible. */
  abstract readonly kind: string;
  /** Keeps `content` under `sha256`; writing the same content twice is harmless. */
  abstract put(sha256: string, content: Buffer, mediaType: string): Promise<void>;
  /** The content kept under `sha256`, or undefined when there is none. */
  abstract get(sha256: string): Promise<Buffer | undefined>;
  /** Removes the content kept under `sha256`; removing what is not there is harmless (a sweep may run twice). */
  abstract delete(sha256: string): Promise<void>;
}

/** Thrown when a store gives back bytes whose hash is not the one they were asked by. */
export class CorruptFileError extends Error {
  constructor(readonly sha256: string, readonly actual: string) {
    super(`stored content for ${sha256} hashes to ${actual}`);
    this.name = 'CorruptFileError';
  }
}
