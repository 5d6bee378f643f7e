import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError, AppErrorCode } from '../common/app-error';
import { AuthService } from './auth.service';
import { IS_PUBLIC, type CurrentUser } from './current-user';

export const SESSION_COOKIE = 'dh_session';

/** Bearer token for API clients, session cookie for the web UI; everything else is refused. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request & { user?: CurrentUser }>();
    const header = req.headers.authorization;
    const cookies = (req as { signedCookies?: Record<string, string> }).signedCookies ?? {};
    // The session cookie is for the web UI's forms (CSRF-protected); /api/* takes bearer tokens only.
    const cookieAllowed = !req.path.startsWith('/api/');
    const user = header?.startsWith('Bearer ')
      ? await this.auth.userFromToken(header.slice(7), 'bearer')
      : cookieAllowed && cookies[SESSION_COOKIE]
        ? await this.auth.userFromToken(cookies[SESSION_COOKIE], 'session')
        : undefined;
    if (user) req.user = user;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    if (!user) throw new AppError(AppErrorCode.UNAUTHENTICATED, 'Cần đăng nhập / login required');
    return true;
  }
}
