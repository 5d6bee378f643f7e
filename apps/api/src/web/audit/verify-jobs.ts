import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';

export interface JobProgress {
  done: number;
  total: number;
}

export interface VerifyJob<R> {
  id: string;
  /** Who started it: only they see its page (another auditor runs their own). */
  userId: string;
  plan: string;
  startedAt: Date;
  finishedAt?: Date;
  progress: JobProgress;
  results?: R;
  error?: string;
}

const KEEP_MS = 6 * 3600_000;
const MAX_JOBS = 200;

/**
 * Plan-wide replay verifications run in the background of this API process, so the page
 * that started one can show its progress (a job id in the URL, a JSON progress endpoint).
 * Kept in memory: a verification is cheap to run again, and its result is not a record
 * (the access log holds who ran it and when). A restart loses running jobs; the page says so.
 */
@Injectable()
export class VerifyJobs {
  private readonly logger = new Logger('audit-verify-jobs');
  private readonly jobs = new Map<string, VerifyJob<unknown>>();

  start<R>(userId: string, plan: string, run: (onProgress: (p: JobProgress) => void) => Promise<R>): VerifyJob<R> {
    this.prune();
    const job: VerifyJob<R> = { id: randomUUID(), userId, plan, startedAt: new Date(), progress: { done: 0, total: 0 } };
    this.jobs.set(job.id, job as VerifyJob<unknown>);
    run((p) => (job.progress = { done: p.done, total: p.total }))
      .then((results) => (job.results = results))
      .catch((err: unknown) => {
        job.error = err instanceof Error ? err.message : String(err);
        this.logger.error({ err, plan }, 'plan verification failed');
      })
      .finally(() => (job.finishedAt = new Date()));
    return job;
  }

  get<R>(id: string, userId: string): VerifyJob<R> | undefined {
    const job = this.jobs.get(id);
    return job && job.userId === userId ? (job as VerifyJob<R>) : undefined;
  }

  private prune(now = Date.now()): void {
    for (const [id, job] of this.jobs) if (job.finishedAt && now - job.finishedAt.getTime() > KEEP_MS) this.jobs.delete(id);
    while (this.jobs.size >= MAX_JOBS) this.jobs.delete(this.jobs.keys().next().value!);
  }
}
