import { Body, Controller, Get, Header, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Response } from 'express';
import { AuthService, SESSION_HOURS } from '../../auth/auth.service';
import { SESSION_COOKIE } from '../../auth/auth.guard';
import { AllowAuditor, Public, User, type CurrentUser } from '../../auth/current-user';
import { LoginThrottledError } from '../../auth/login-throttle';
import { cookieSecure } from '../../config/api.config';
import { AppError, AppErrorCode } from '../../common/app-error';
import { AppConfig } from '../../infra/infra.module';
import { LoginForm } from '../web-forms.dto';
import { LANG_COOKIE, isLang } from '../i18n/i18n';
import { WebCsrfGuard } from '../web-csrf';
import { WebExceptionFilter } from '../web-exception.filter';
import { WebPages, statusCss } from '../web-pages';
import { safeNextPath, type WebRequest } from '../web-request';

/** Log in and out of the web UI: a signed, HttpOnly session cookie holding the JWT. */
@ApiExcludeController()
@Controller()
@UseGuards(WebCsrfGuard)
@UseFilters(WebExceptionFilter)
export class SessionController {
  private readonly css = statusCss();

  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(WebPages) private readonly pages: WebPages,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('login')
  loginPage(@Req() req: WebRequest, @Res() res: Response) {
    if (req.user) return res.redirect(303, safeNextPath(req.query.next));
    this.pages.render(req, res, 'login', { next: safeNextPath(req.query.next) });
  }

  @Public()
  @Post('login')
  @Throttle({ default: { limit: 300, ttl: 60_000 } })
  async login(@Req() req: WebRequest, @Res() res: Response, @Body() form: LoginForm) {
    try {
      const { token } = await this.auth.login(form.username, form.password, req.ip ?? req.socket.remoteAddress ?? 'unknown', 'session');
      res.cookie(SESSION_COOKIE, token, {
        signed: true,
        httpOnly: true,
        sameSite: 'lax',
        // Secure over https (as a trusted proxy reports it), always in production; see COOKIE_SECURE.
        secure: cookieSecure(this.config.values, req.secure),
        maxAge: SESSION_HOURS * 3_600_000,
        path: '/',
      });
      // A language chosen on the login page becomes the person's (their e-mails follow it);
      // without one (a new browser), the person's stored language becomes this browser's.
      const chosen = (req.cookies as Record<string, string> | undefined)?.[LANG_COOKIE];
      if (isLang(chosen)) await this.pages.rememberLanguage({ username: form.username }, chosen);
      else {
        const stored = await this.pages.storedLanguage({ username: form.username });
        if (stored) this.pages.setLanguageCookie(res, stored);
      }
      res.redirect(303, safeNextPath(form.next));
    } catch (err) {
      const { t } = this.pages.context(req, res);
      if (err instanceof LoginThrottledError) {
        res.setHeader('Retry-After', String(err.retryAfterSeconds));
        return this.pages.render(req, res, 'login', { next: safeNextPath(form.next), username: form.username, error: t('login.throttled', { minutes: Math.max(1, Math.ceil(err.retryAfterSeconds / 60)) }) }, 429);
      }
      if (!(err instanceof AppError && err.code === AppErrorCode.UNAUTHENTICATED)) throw err;
      this.pages.render(req, res, 'login', { next: safeNextPath(form.next), username: form.username, error: t('login.failed') }, 401);
    }
  }

  /** Ends the session on the server too: the cookie (and the token inside it) is refused from now on. */
  @Post('logout')
  @AllowAuditor()
  async logout(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser) {
    await this.auth.logout(user?.sessionId);
    res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: cookieSecure(this.config.values, req.secure) });
    this.pages.flash(res, { kind: 'ok', text: this.pages.context(req, res).t('logout.done') });
    res.redirect(303, '/login');
  }

  /** Status colours as CSS, generated from the domain palette (see WebPages.statusCss). */
  @Public()
  @Get('web/status.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  statusCss() {
    return this.css;
  }
}
