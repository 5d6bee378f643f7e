import { ActivityFailure, ApplicationFailure, TimeoutFailure, condition, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { AssignmentActivities, NoticeRequest } from './activities.contract';

/**
 * How hard side effects (projection into the read model, notices) are tried before the
 * workflow records a failure and waits. Defaults suit production; tests pass seconds.
 */
export interface EffectPolicy {
  /** Attempts of one activity call before it counts as failed (default 10, about 4 minutes). */
  maximumAttempts?: number;
  /** Pause after a transient failure before the next round (default 60 s). */
  pauseSeconds?: number;
}

export interface EffectFailure {
  effect: 'projection' | 'notice';
  key?: string;
  code: string;
  message: string;
  /** False when the data itself was refused: the same call can never succeed. */
  willRetry: boolean;
}

/** Activities for side effects, with a retry ceiling instead of the SDK's unlimited default. */
export function effectActivities(policy: EffectPolicy = {}) {
  return proxyActivities<AssignmentActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: policy.maximumAttempts ?? 10 },
  });
}

/** What went wrong in an activity call, in words a notice and the audit log can carry. */
export function effectFailureOf(err: unknown, effect: EffectFailure['effect'], key?: string): EffectFailure {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    return { effect, key, code: cause.type ?? 'ERROR', message: clip(cause.message), willRetry: !cause.nonRetryable };
  }
  if (cause instanceof TimeoutFailure) return { effect, key, code: 'TIMEOUT', message: clip(cause.message), willRetry: true };
  return { effect, key, code: 'ERROR', message: clip(cause instanceof Error ? cause.message : String(cause)), willRetry: true };
}

const clip = (s: string) => (s.length > 500 ? `${s.slice(0, 500)}…` : s);

export interface EffectRunnerOptions {
  /** Whether the read model is behind the workflow state. */
  projectionDue(): boolean;
  project(): Promise<void>;
  send(notice: NoticeRequest): Promise<void>;
  /** A number that changes with every state change (the state's seq). */
  version(): number;
  /** Records a failure (state event, alarm notice); `first` is true for the first of a run of failures. */
  report(failure: EffectFailure, first: boolean): void;
  policy?: EffectPolicy;
  /**
   * Patch `perf2-batched-effects`: the projection (when `projecting`) and the in-app part of
   * `notices` in one activity. Answers the keys of the notices whose e-mails are still to send;
   * those go to `send` one by one, as before.
   */
  batch?: (projecting: boolean, notices: NoticeRequest[]) => Promise<string[]>;
}

/**
 * Workflows started from here on re-send search attributes only when they change and keep the
 * timer of the next due time across state changes that do not move it (issue 12).
 */
export const PATCH_FEWER_EVENTS = 'perf-fewer-events';

/**
 * Workflows started from here on write the projection and the in-app notices queued with it in
 * one activity (`recordEffects`) instead of one activity each (issue 12). E-mail stays in
 * `sendNotice`, so an SMTP outage never fails or retries the read model's write. The assignment
 * and approval workflows ask this patch first and let it stand for every patch before it, so a
 * new history records one patch marker instead of one per patch.
 */
export const PATCH_BATCHED_EFFECTS = 'perf2-batched-effects';

/**
 * The side-effect loop of a workflow. Update handlers only change state and queue
 * notices; this loop brings the read model up to date and sends the notices, in order,
 * so a person's action is answered without waiting for PostgreSQL or SMTP.
 *
 * A transient failure (retries exhausted) is reported once per run of failures and
 * retried after a pause; a refusal of the data is reported and not retried: a jammed
 * projection waits for the next state change, a notice that cannot be written is dropped.
 */
export class EffectRunner {
  private readonly outbox: NoticeRequest[] = [];
  private finished = false;
  /** The version at which projection failed for good; it is tried again only after a change. */
  private jammedAt: number | undefined;
  private failing = false;
  /** Queued notices already recorded in-app by a batch, whose e-mails are still to send. */
  private readonly recorded = new Set<NoticeRequest>();

  constructor(private readonly options: EffectRunnerOptions) {}

  notify(notice: NoticeRequest): void {
    this.outbox.push(notice);
  }

  /** No more state changes will come: drain what is queued, then `run()` resolves. */
  finish(): void {
    this.finished = true;
  }

  get pendingNotices(): number {
    return this.outbox.length;
  }

  async run(): Promise<void> {
    const pauseMs = (this.options.policy?.pauseSeconds ?? 60) * 1000;
    const due = () => this.options.projectionDue() && this.jammedAt !== this.options.version();
    for (;;) {
      await condition(() => due() || this.outbox.length > 0 || this.finished);
      if (!due() && this.outbox.length === 0) return;

      // A batch that succeeded leaves only e-mails to send; what changed meanwhile goes in the next batch.
      let batched = false;
      if (this.batching()) {
        const failure = await this.runBatch(due());
        if (failure?.willRetry) {
          this.fail(failure);
          await sleep(pauseMs);
          continue;
        }
        // Data refused: the one-by-one path below finds which write it was and handles it as before.
        batched = !failure;
      }

      if (!batched && due()) {
        const failure = await this.attempt(() => this.options.project(), 'projection');
        if (failure) {
          this.fail(failure);
          if (failure.willRetry) {
            await sleep(pauseMs);
            continue;
          }
          this.jammedAt = this.options.version();
        } else {
          this.jammedAt = undefined;
          this.failing = false;
        }
      }

      for (let notice = this.nextNotice(); notice; notice = this.nextNotice()) {
        const failure = await this.attempt(() => this.options.send(notice), 'notice', notice.key);
        if (!failure) {
          this.drop(notice);
          this.failing = false;
          continue;
        }
        this.fail(failure);
        if (failure.willRetry) {
          await sleep(pauseMs);
          break;
        }
        this.drop(notice);
      }
    }
  }

  /** Batched while nothing fails; after a failure the one-by-one activities carry on until one succeeds. */
  private batching(): boolean {
    return this.options.batch !== undefined && !this.failing;
  }

  /** Projection and the in-app part of the notices not yet recorded, in one activity; undefined when it succeeded. */
  private async runBatch(projecting: boolean): Promise<EffectFailure | undefined> {
    const notices = this.outbox.filter((n) => !this.recorded.has(n));
    if (!projecting && notices.length === 0) return undefined;
    let toEmail: Set<string>;
    try {
      toEmail = new Set(await this.options.batch!(projecting, notices));
    } catch (err) {
      return effectFailureOf(err, 'projection');
    }
    for (const notice of notices) {
      if (toEmail.has(notice.key)) this.recorded.add(notice);
      else this.drop(notice);
    }
    if (projecting) this.jammedAt = undefined;
    return undefined;
  }

  /** The next notice to send one by one: while batching, only those recorded in-app with e-mail still to send. */
  private nextNotice(): NoticeRequest | undefined {
    return this.batching() ? this.outbox.find((n) => this.recorded.has(n)) : this.outbox[0];
  }

  private drop(notice: NoticeRequest): void {
    const at = this.outbox.indexOf(notice);
    if (at >= 0) this.outbox.splice(at, 1);
    this.recorded.delete(notice);
  }

  private async attempt(call: () => Promise<void>, effect: EffectFailure['effect'], key?: string): Promise<EffectFailure | undefined> {
    try {
      await call();
      return undefined;
    } catch (err) {
      return effectFailureOf(err, effect, key);
    }
  }

  private fail(failure: EffectFailure): void {
    const first = !this.failing;
    this.failing = true;
    log.warn('side effect failed', { ...failure });
    this.options.report(failure, first);
  }
}

/** The alarm to the Standing Office when a side effect fails (never about an alarm itself). */
export function alarmNotice(
  base: Pick<NoticeRequest, 'assignmentId' | 'planId' | 'leadUnit' | 'noticeUnits'>,
  title: string,
  failure: EffectFailure,
  seq: number,
): NoticeRequest | undefined {
  if (failure.key?.includes(':alarm:')) return undefined;
  const what = failure.effect === 'projection' ? 'ghi vào cơ sở dữ liệu theo dõi' : `gửi thông báo ${failure.key ?? ''}`.trim();
  return {
    ...base,
    key: `${base.assignmentId}:alarm:${seq}`,
    audience: ['standing-office'],
    kind: 'side-effect-failed',
    level: 1,
    subject: `Lỗi hệ thống: chưa ${what} — ${title}`,
    body: `${failure.code}: ${failure.message}${failure.willRetry ? ' (hệ thống sẽ thử lại)' : ' (không thử lại: dữ liệu bị từ chối)'}`,
  };
}
