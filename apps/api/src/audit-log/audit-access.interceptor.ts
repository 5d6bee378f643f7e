import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import type { CurrentUser } from '../auth/current-user';
import { AppError, AppErrorCode } from '../common/app-error';
import { AUDIT_ACCESS, isAuditPath, type AuditAccessSkip, type AuditAccessSpec } from './audit-access.decorator';
import { AuditAccessLog } from './audit-access-log.service';

/**
 * Logs every audit access (item 7 of issue 8) before the handler runs: routes marked
 * `@AuditAccess`, and every route under /audit and /api/audit whether marked or not.
 * Registered globally, so audit routes added later (API or web) are covered without
 * anyone remembering to. If the entry cannot be written the access is refused (503):
 * an unrecorded audit view is worse than a late one.
 */
@Injectable()
export class AuditAccessInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuditAccessLog) private readonly log: AuditAccessLog,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Request & { user?: CurrentUser }>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const meta = this.reflector.getAllAndOverride<AuditAccessSpec | AuditAccessSkip | undefined>(AUDIT_ACCESS, [ctx.getHandler(), ctx.getClass()]);
    if (meta && 'skip' in meta) return next.handle();
    if (!meta && !isAuditPath(req.path)) return next.handle();
    const user = req.user;
    if (!user) return next.handle();

    const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
    const action = typeof meta?.action === 'function' ? meta.action(req) : (meta?.action ?? `${req.method} ${route}`);
    const target = meta?.target ? meta.target(req) : defaultTarget(req);
    const recorded = this.log.record(user, { action, target, method: req.method, path: req.originalUrl, channel: user.via === 'bearer' ? 'api' : 'web' }).catch((err: unknown) => {
      throw new AppError(AppErrorCode.UNAVAILABLE, `the audit access log could not record this access: ${err instanceof Error ? err.message : String(err)}`, 'ACCESS_LOG_DOWN');
    });
    return from(recorded).pipe(
      mergeMap((id) => {
        // 'close' comes after 'finish', and also when the client went away (499, as nginx says).
        res.once('close', () => this.log.answered(id, res.writableFinished ? res.statusCode : 499));
        return next.handle();
      }),
    );
  }
}

const TARGET_PARAMS = ['id', 'workflowId', 'code', 'planCode', 'jobId'];

function defaultTarget(req: Request): string {
  const params = (req.params ?? {}) as Record<string, string | undefined>;
  for (const name of TARGET_PARAMS) if (params[name]) return params[name];
  return Object.values(params).filter(Boolean).join(' ') || '';
}
