import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, HttpException, HttpStatus, Inject, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { Request, Response } from 'express';
import { Observable, catchError, from, mergeMap, of, throwError } from 'rxjs';
import { DataSource } from 'typeorm';
import { AppError, AppErrorCode, httpStatusOf, type FieldProblem } from './app-error';
import type { CurrentUser } from '../auth/current-user';
import { runWithIdempotencyKey } from './idempotency-context';

/**
 * How long a second request with the same key waits for the first one's answer before it is
 * told 409 IDEMPOTENCY_IN_PROGRESS (retry later). Short: a live request answers in well under
 * this (an Update answers from the workflow's state), and a claim left by a request that died
 * must not hold the retry until the client gives up.
 */
export const IDEMPOTENCY_WAIT_MS = 10_000;
/** A claim older than this without an answer belongs to a request that died (API restart): the next retry takes it over. */
export const IDEMPOTENCY_STALE_SECONDS = 120;
const POLL_MS = 100;

/** A refusal as stored under a key, so a retry gets the very same refusal. */
type StoredError =
  | { kind: 'app'; code: AppErrorCode; message: string; reason?: string; fields?: FieldProblem[] }
  | { kind: 'http'; status: number; response: string | object };

interface StoredRow {
  request_hash: string;
  status_code: number | null;
  response: unknown;
  completed: boolean;
  stale: boolean;
}

/**
 * `Idempotency-Key` on any API write: the request runs once per (key, person).
 *
 * The key is claimed before the request runs (INSERT … ON CONFLICT DO NOTHING), so of
 * concurrent requests with one key exactly one runs; the others wait for its answer (up to
 * IDEMPOTENCY_WAIT_MS, then 409 IDEMPOTENCY_IN_PROGRESS) and get the same status and body
 * with `Idempotent-Replayed: true`. Refusals (400, 403, 404, 409) are kept like successes, so
 * a retry of a refused request is refused the same way; an unexpected failure (5xx) releases
 * the key so that a retry runs again. The same key with a different request is a 409. The
 * handler's Temporal Updates carry the key as their Update ID (idempotency-context.ts), so a
 * request run again after a lost answer gets the first run's outcome from the workflow.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('idempotency');

  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request & { user?: CurrentUser }>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const key = req.header('idempotency-key');
    if (!key || req.method === 'GET' || !req.path.startsWith('/api/') || !req.user) return next.handle();
    if (key.length > 200) {
      throw new AppError(AppErrorCode.VALIDATION, 'Idempotency-Key is too long', undefined, [{ field: 'Idempotency-Key', reason: 'at most 200 characters' }]);
    }
    const userId = req.user.userId;
    // Uploaded files count as part of the request: the same key with another file is another request.
    const files = Array.isArray(req.files) ? `\n${req.files.map((f) => createHash('sha256').update(f.buffer).digest('hex')).join(',')}` : '';
    const requestHash = createHash('sha256').update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}${files}`).digest('hex');
    return from(this.claim(key, userId, requestHash)).pipe(
      mergeMap((stored) => {
        if (stored) return this.replay(res, stored);
        // The handler runs with the key at hand, so that its Updates carry it as their Update ID.
        const handled = new Observable<unknown>((subscriber) => runWithIdempotencyKey(userId, key, () => next.handle().subscribe(subscriber)));
        return handled.pipe(
          mergeMap(async (body: unknown) => {
            const declared = Reflect.getMetadata(HTTP_CODE_METADATA, ctx.getHandler()) as number | undefined;
            const statusCode = res.statusCode !== HttpStatus.OK ? res.statusCode : (declared ?? (req.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK));
            await this.complete(key, userId, statusCode, body ?? null);
            return body;
          }),
          catchError((err: unknown) => from(this.settleFailure(key, userId, err)).pipe(mergeMap(() => throwError(() => err)))),
        );
      }),
    );
  }

  /** Claims the key (undefined: this request runs) or waits for the stored answer of the request that holds it. */
  private async claim(key: string, userId: string, requestHash: string): Promise<StoredRow | undefined> {
    const deadline = Date.now() + IDEMPOTENCY_WAIT_MS;
    for (;;) {
      const inserted = await this.db.query<unknown[]>(
        `INSERT INTO idempotency_keys (key, user_id, request_hash) VALUES ($1, $2, $3) ON CONFLICT (key, user_id) DO NOTHING RETURNING key`,
        [key, userId, requestHash],
      );
      if (inserted.length) return undefined;
      const [row] = await this.db.query<StoredRow[]>(
        `SELECT request_hash, status_code, response, completed_at IS NOT NULL AS completed,
                claimed_at < now() - make_interval(secs => $3::int) AS stale
           FROM idempotency_keys WHERE key = $1 AND user_id = $2`,
        [key, userId, IDEMPOTENCY_STALE_SECONDS],
      );
      if (row) {
        if (row.request_hash !== requestHash) {
          throw new AppError(AppErrorCode.CONFLICT, 'this Idempotency-Key was used for a different request', 'IDEMPOTENCY_KEY_REUSED');
        }
        if (row.completed) return row;
        if (row.stale) {
          const taken = await this.db.query<unknown[]>(
            `UPDATE idempotency_keys SET claimed_at = now()
              WHERE key = $1 AND user_id = $2 AND completed_at IS NULL AND claimed_at < now() - make_interval(secs => $3::int) RETURNING key`,
            [key, userId, IDEMPOTENCY_STALE_SECONDS],
          );
          if (taken.length) return undefined;
        }
      }
      if (Date.now() > deadline) {
        throw new AppError(AppErrorCode.CONFLICT, 'a request with this Idempotency-Key is still running; retry later', 'IDEMPOTENCY_IN_PROGRESS');
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private replay(res: Response, stored: StoredRow): Observable<unknown> {
    res.setHeader('Idempotent-Replayed', 'true');
    const status = stored.status_code ?? HttpStatus.OK;
    if (status < 400) {
      res.status(status);
      return of(stored.response);
    }
    const e = stored.response as StoredError;
    return throwError(() => (e.kind === 'app' ? new AppError(e.code, e.message, e.reason, e.fields) : new HttpException(e.response, e.status)));
  }

  private async complete(key: string, userId: string, statusCode: number, response: unknown): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys SET status_code = $3, response = $4::jsonb, completed_at = now() WHERE key = $1 AND user_id = $2`,
      [key, userId, statusCode, JSON.stringify(response)],
    );
  }

  /** Keeps a definite refusal under the key; releases the key after anything else so a retry runs again. */
  private async settleFailure(key: string, userId: string, err: unknown): Promise<void> {
    try {
      const refusal = storedRefusal(err);
      if (refusal) await this.complete(key, userId, refusal.status, refusal.error);
      else await this.db.query(`DELETE FROM idempotency_keys WHERE key = $1 AND user_id = $2 AND completed_at IS NULL`, [key, userId]);
    } catch (storeErr) {
      // The request's own error is what the person needs to see; a claim left behind goes stale and is taken over.
      this.logger.error({ key, err: (storeErr as Error).message }, 'could not settle an idempotency key');
    }
  }
}

/** Refusals that a retry of the same request would get again: kept. Others (5xx, 401, 429) are not. */
const KEPT = new Set([400, 403, 404, 409, 413, 415, 422]);

function storedRefusal(err: unknown): { status: number; error: StoredError } | undefined {
  if (err instanceof AppError) {
    const status = httpStatusOf(err.code);
    return KEPT.has(status) ? { status, error: { kind: 'app', code: err.code, message: err.message, reason: err.reason, fields: err.fields } } : undefined;
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    return KEPT.has(status) ? { status, error: { kind: 'http', status, response: err.getResponse() } } : undefined;
  }
  return undefined;
}
