import { Body, Controller, Get, Header, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Response } from 'express';
import { AuthService } from '../auth/auth.service';
import { SESSION_COOKIE } from '../auth/auth.guard';
import { Public } from '../auth/current-user';
import { AppError, AppErrorCode } from '../common/app-error';
import { AppConfig } from '../infra/infra.module';
import { LoginForm } from './web-forms.dto';
import { WebCsrfGuard } from './web-csrf';
import { WebExceptionFilter } from './web-exception.filter';
import { WebPages, statusCss } from './web-pages';
import { safeNextPath, type WebRequest } from './web-request';

const SESSION_HOURS = 12;

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
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  async login(@Req() req: WebRequest, @Res() res: Response, @Body() form: LoginForm) {
    try {
      const { token } = await this.auth.login(form.username, form.password);
      res.cookie(SESSION_COOKIE, token, {
        signed: true,
        httpOnly: true,
        sameSite: 'lax',
        secure: this.config.values.NODE_ENV === 'production',
        maxAge: SESSION_HOURS * 3_600_000,
        path: '/',
      });
      res.redirect(303, safeNextPath(form.next));
    } catch (err) {
      if (!(err instanceof AppError && err.code === AppErrorCode.UNAUTHENTICATED)) throw err;
      const { t } = this.pages.context(req, res);
      this.pages.render(req, res, 'login', { next: safeNextPath(form.next), username: form.username, error: t('login.failed') }, 401);
    }
  }

  @Post('logout')
  logout(@Req() req: WebRequest, @Res() res: Response) {
    res.clearCookie(SESSION_COOKIE, { path: '/' });
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
