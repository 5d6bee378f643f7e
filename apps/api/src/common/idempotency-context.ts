import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';

/**
 * The Idempotency-Key of the request being run, as a Temporal Update ID.
 *
 * The key's claim in PostgreSQL makes a request run once; but when the API dies after an Update
 * ran and before the answer was stored, the retry that takes the claim over runs the request
 * again, and the workflow, already past that step, would refuse it (409 NOT_ACCEPTING for a
 * submission that was in fact accepted). Sent with the same Update ID, the Update is not run
 * again: Temporal answers the retry with the first run's outcome.
 */
const storage = new AsyncLocalStorage<{ updateId: string }>();

/** One Update ID per (person, key): keys are chosen by clients, so two people may pick the same one. */
export function updateIdFor(userId: string, key: string): string {
  return `idem-${createHash('sha256').update(`${userId}\n${key}`).digest('hex')}`;
}

export function runWithIdempotencyKey<T>(userId: string, key: string, fn: () => T): T {
  return storage.run({ updateId: updateIdFor(userId, key) }, fn);
}

/** The Update ID of the running request's Idempotency-Key, if it has one. */
export function currentUpdateId(): string | undefined {
  return storage.getStore()?.updateId;
}
