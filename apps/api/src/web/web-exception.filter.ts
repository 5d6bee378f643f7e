import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AppError, AppErrorCode, httpStatusOf } from '../common/app-error';
import { WebPages } from './web-pages';
import type { MessageKey } from './i18n/i18n';
import { translator, langOf } from './i18n/i18n';
import type { WebRequest } from './web-request';

/**
 * Errors on the web pages become pages: not logged in -> the login form (coming back here
 * afterwards), refused -> a 403 page that says why, and so on. The API keeps its JSON errors.
 */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('web');

  constructor(@Inject(WebPages) private readonly pages: WebPages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<WebRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof AppError && exception.code === AppErrorCode.UNAUTHENTICATED) {
      const back = req.method === 'GET' ? req.originalUrl : '/';
      res.redirect(303, `/login?next=${encodeURIComponent(back)}`);
      return;
    }
    const { status, reason, message } = describe(exception);
    if (status >= 500 && status !== 503) this.logger.error(exception);
    if (status === 403) this.logger.warn({ path: req.path, reason: message }, 'refused');
    const t = translator(langOf(req));
    const titleKey = (`error.${[400, 403, 404, 409, 503].includes(status) ? status : 500}`) as MessageKey;
    this.pages.render(
      req,
      res,
      'error',
      { title: t(titleKey), status, reason, message: reason === 'CSRF' ? t('error.csrf') : message },
      status,
    );
  }
}

function describe(exception: unknown): { status: number; reason?: string; message: string } {
  if (exception instanceof AppError) {
    return { status: httpStatusOf(exception.code), reason: exception.reason, message: exception.message };
  }
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message);
    return { status: exception.getStatus(), message: Array.isArray(message) ? message.join('; ') : String(message) };
  }
  return { status: 500, message: 'Internal error' };
}
