import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, HttpStatus, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { Request, Response } from 'express';
import { from, mergeMap, of, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { IdempotencyKeyEntity } from '@dieu-hanh/persistence';
import { AppError, AppErrorCode } from './app-error';
import type { CurrentUser } from '../auth/current-user';

/**
 * `Idempotency-Key` on any API write: the first successful answer is kept per
 * (key, user) and a retry gets the same answer without touching any workflow again.
 * The same key with a different request is a 409.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
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
    const requestHash = createHash('sha256').update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
    const repo = this.db.getRepository(IdempotencyKeyEntity);
    return from(repo.findOneBy({ key, userId })).pipe(
      mergeMap((stored) => {
        if (stored) {
          if (stored.requestHash !== requestHash) {
            throw new AppError(AppErrorCode.CONFLICT, 'this Idempotency-Key was used for a different request', 'IDEMPOTENCY_KEY_REUSED');
          }
          res.status(stored.statusCode);
          res.setHeader('Idempotent-Replayed', 'true');
          return of(stored.response);
        }
        return next.handle().pipe(
          mergeMap(async (body: unknown) => {
            const declared = Reflect.getMetadata(HTTP_CODE_METADATA, ctx.getHandler()) as number | undefined;
            const statusCode = res.statusCode !== HttpStatus.OK ? res.statusCode : (declared ?? (req.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK));
            await repo
              .createQueryBuilder()
              .insert()
              .values({ key, userId, requestHash, statusCode, response: (body ?? null) as object })
              .orIgnore()
              .execute();
            return body;
          }),
        );
      }),
    );
  }
}
