import { z } from 'zod';
import { loadConfig, sharedEnvSchema } from '@dieu-hanh/persistence';
import { FILE_STORE_DIR_NEEDED, S3_BUCKET_NEEDED, fileStoreEnv } from '@dieu-hanh/persistence/files';

export const workerEnvSchema = sharedEnvSchema.extend({
  /** smtp://user:pass@host:port for e-mail notices; empty keeps notices in-app only. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('Điều hành <dieu-hanh@localhost>'),
  PUBLIC_URL: z.string().url().default('http://localhost:3000'),
  /** Seconds between passes of the archiver that writes closed workflow runs to the audit archive; 0 turns it off. */
  ARCHIVE_INTERVAL_SECONDS: z.coerce.number().min(0).max(86_400).default(5),
  /**
   * A workflow bundle built beforehand (bundleWorkflowCode's `code`, written to a file): the
   * worker loads it instead of bundling the workflows at start, which takes a minute on a small
   * machine. Unset (the default) bundles from source. The fault suite sets it so that restarted
   * workers poll again in seconds.
   */
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  /**
   * Open workflows kept in the worker's sticky cache. A cached workflow answers its next task
   * without replaying its history; an evicted one replays first. Unset: the SDK sizes it from the
   * heap limit. Measured (docs/benchmarks.md, "8: memory"): about 121 KB of JS heap per open
   * assignment and 176–357 KB of RSS (by load), so a worker of 512–670 MB holds about 1,000;
   * 10,000 open workflows need evictions (an evicted one replays its history on its next task,
   * usually days away) or 2–3.5 GB. With 10,000 opened at once the RSS follows the cache, not the
   * open count: 824 MB with 1,000 cached, 1,183 MB with 2,000 (the burst's high-water mark).
   */
  MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(1).max(100_000).optional(),
  /** The file store the API writes uploads to (the same settings): the sweep removes those never submitted. */
  ...fileStoreEnv,
  /** Hours an upload may wait for its draft or report to be submitted before the sweep removes it. */
  UPLOAD_GRACE_HOURS: z.coerce.number().min(0).max(24 * 365).default(24),
  /** Minutes between passes of the uploads sweep (a Temporal Schedule); 0 turns the schedule off. */
  UPLOAD_SWEEP_EVERY_MINUTES: z.coerce.number().min(0).max(7 * 24 * 60).default(60),
})
  .refine((env) => env.FILE_STORE !== 'fs' || env.FILE_STORE_DIR !== undefined, FILE_STORE_DIR_NEEDED)
  .refine((env) => env.FILE_STORE !== 's3' || env.S3_BUCKET !== undefined, S3_BUCKET_NEEDED);

export type WorkerConfig = z.infer<typeof workerEnvSchema>;
export const loadWorkerConfig = (env: NodeJS.ProcessEnv = process.env): WorkerConfig => loadConfig(workerEnvSchema, env);
