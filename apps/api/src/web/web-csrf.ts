import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { doubleCsrf, type DoubleCsrfUtilities } from 'csrf-csrf';
import { AppConfig } from '../infra/infra.module';
import { SESSION_COOKIE } from '../auth/auth.guard';
import { AppError, AppErrorCode } from '../common/app-error';
import type { WebRequest } from './web-request';

export const CSRF_FIELD = '_csrf';

/**
 * Double-submit CSRF tokens (csrf-csrf): an HMAC-signed token in a cookie and the same token
 * in a hidden form field. The HMAC binds it to the session cookie, so a token minted before
 * login is useless after it, and another person's token is useless for this session.
 */
@Injectable()
export class WebCsrf {
  private readonly utils: DoubleCsrfUtilities;

  constructor(@Inject(AppConfig) config: AppConfig) {
    const production = config.values.NODE_ENV === 'production';
    this.utils = doubleCsrf({
      getSecret: () => config.values.SESSION_SECRET,
      getSessionIdentifier: (req) => (req as WebRequest).signedCookies?.[SESSION_COOKIE] ?? 'anonymous',
      // __Host- requires Secure, which plain-http development cannot send.
      cookieName: production ? '__Host-dh_csrf' : 'dh_csrf',
      cookieOptions: { sameSite: 'lax', secure: production, httpOnly: true, path: '/' },
      getCsrfTokenFromRequest: (req) => {
        const value = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
        return typeof value === 'string' ? value : undefined;
      },
    });
  }

  token(req: WebRequest, res: Response): string {
    return this.utils.generateCsrfToken(req, res);
  }

  isValid(req: WebRequest): boolean {
    return this.utils.validateRequest(req);
  }
}

/** Checks the CSRF token of every state-changing web request (after the AuthGuard). */
@Injectable()
export class WebCsrfGuard implements CanActivate {
  constructor(@Inject(WebCsrf) private readonly csrf: WebCsrf) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<WebRequest>();
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return true;
    if (!this.csrf.isValid(req)) throw new AppError(AppErrorCode.FORBIDDEN, 'invalid or missing CSRF token', 'CSRF');
    return true;
  }
}
