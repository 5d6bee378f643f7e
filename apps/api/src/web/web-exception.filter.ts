import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger, Optional } from '@nestjs/common';
import type { Response } from 'express';
import { AppError, AppErrorCode, fromDatabaseDataError, httpStatusOf } from '../common/app-error';
import { WebPages } from './web-pages';
import { RefusalLog } from '../audit/refusal-log';
import type { MessageKey } from './i18n/i18n';
import { translator, langOf, type Translate } from './i18n/i18n';
import { refusalText } from './web-errors';
import type { WebRequest } from './web-request';

/**
 * Errors on the web pages become pages: not logged in -> the login form (coming back here
 * afterwards), refused -> a 403 page that says why, and so on. The API keeps its JSON errors.
 */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('web');

  constructor(
    @Inject(WebPages) private readonly pages: WebPages,
    @Optional() @Inject(RefusalLog) private readonly refusals?: RefusalLog,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<WebRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof AppError && exception.code === AppErrorCode.UNAUTHENTICATED) {
      const back = req.method === 'GET' ? req.originalUrl : '/';
      res.redirect(303, `/login?next=${encodeURIComponent(back)}`);
      return;
    }
    const { status, reason, message } = describe(exception);
    const t = translator(langOf(req));
    this.refusals?.note(req, { statusCode: status, code: reason ?? String(status), reason, message });
    if (status >= 500 && status !== 503) this.logger.error(exception);
    if (status === 403) this.logger.warn({ path: req.path, reason: message }, 'refused');
    // 413, 415 and the like are the input's fault: titled as a 400, not as a system error.
    const titled = [400, 403, 404, 409, 503].includes(status) ? status : status >= 400 && status < 500 ? 400 : 500;
    const titleKey = `error.${titled}` as MessageKey;
    this.pages.render(
      req,
      res,
      'error',
      { title: t(titleKey), status, message: reason === 'CSRF' ? t('error.csrf') : readerMessage(fromDatabaseDataError(exception) ?? exception, status, t) },
      status,
    );
  }
}

/** What the page says: the refusal in the reader's words (never the code or the technical English text). */
function readerMessage(exception: unknown, status: number, t: Translate): string {
  if (exception instanceof AppError) return refusalText(exception, t);
  if (status === 404) return t('refusal.code.NOT_FOUND');
  if (status === 413) return t('refusal.code.PAYLOAD_TOO_LARGE');
  if (status === 429) return t('refusal.code.RATE_LIMITED');
  if (status >= 400 && status < 500) return t('refusal.code.VALIDATION');
  return t('refusal.code.INTERNAL');
}

function describe(raised: unknown): { status: number; reason?: string; message: string } {
  const exception = fromDatabaseDataError(raised) ?? raised;
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
