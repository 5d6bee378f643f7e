import type { DataSource, EntityManager } from 'typeorm';

/** The first key of the content locks ('FILE'), so they never meet another advisory lock. */
const CONTENT_LOCK_CLASS = 0x46494c45;

/** The second key: the first 32 bits of the hash (two contents rarely share it, and then only wait for each other). */
export const contentLockKey = (sha256: string): number => Number.parseInt(sha256.slice(0, 8), 16) | 0;

/**
 * Runs `work` in a transaction that holds a PostgreSQL advisory lock on each content (by hash)
 * until it commits. The upload (its records written, its bytes put after) and the sweep (no
 * record left, bytes out) both take it, so the sweep never removes bytes that a record written
 * meanwhile names: either it sees the record, or the upload puts the bytes back after it. Locks are taken in hash order, so two uploads never deadlock.
 */
export function withContentLock<T>(db: DataSource, sha256s: readonly string[], work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const keys = [...new Set(sha256s.map(contentLockKey))].sort((a, b) => a - b);
  return db.transaction(async (manager) => {
    for (const key of keys) await manager.query(`SELECT pg_advisory_xact_lock($1::int, $2::int)`, [CONTENT_LOCK_CLASS, key]);
    return work(manager);
  });
}
