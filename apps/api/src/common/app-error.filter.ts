import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger, Optional } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError, AppErrorCode, fromDatabaseDataError, httpStatusOf } from './app-error';
import { RefusalLog } from '../audit/refusal-log';

/**
 * One shape for every error body: { statusCode, code, reason?, message, fields? }.
 * Never a stack trace; unexpected errors are logged and answered with a plain 500.
 */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(@Optional() @Inject(RefusalLog) private readonly refusals?: RefusalLog) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const data = fromDatabaseDataError(exception);
    if (data) this.logger.error(exception);
    const body = this.toBody(data ?? exception);
    // Temporal keeps no trace of a refused Update: the audit log does (issue 8).
    this.refusals?.note(req, body);
    if (body.statusCode === 403) this.logger.warn({ path: req.path, reason: body.message }, 'refused');
    if (body.statusCode >= 500 && body.statusCode !== 503) this.logger.error(exception);
    if (req.accepts(['json', 'html']) === 'html' && !req.path.startsWith('/api/') && req.path !== '/health') {
      res.status(body.statusCode).type('html').send(`<!doctype html><meta charset="utf-8"><title>${body.statusCode}</title><p>${escapeHtml(body.message)}</p><p><a href="/">Trang chủ</a></p>`);
      return;
    }
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown) {
    if (exception instanceof AppError) {
      return {
        statusCode: httpStatusOf(exception.code),
        code: exception.code,
        reason: exception.reason,
        message: exception.message,
        fields: exception.fields,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message);
      return {
        statusCode: status,
        code: status === 404 ? AppErrorCode.NOT_FOUND : status === 429 ? AppErrorCode.RATE_LIMITED : status === 403 ? AppErrorCode.FORBIDDEN : AppErrorCode.VALIDATION,
        message: Array.isArray(message) ? message.join('; ') : String(message),
      };
    }
    // A 4xx raised by Express or a middleware (http-errors, `expose` set): keep its status, not a 500.
    const raised = exception as { status?: unknown; expose?: unknown } | null;
    if (raised && typeof raised.status === 'number' && raised.status >= 400 && raised.status < 500 && raised.expose === true) {
      const status = raised.status;
      const code = status === 413 ? AppErrorCode.PAYLOAD_TOO_LARGE : status === 415 ? AppErrorCode.UNSUPPORTED_MEDIA_TYPE : status === 404 ? AppErrorCode.NOT_FOUND : AppErrorCode.VALIDATION;
      return { statusCode: status, code, message: 'The request could not be read' };
    }
    return { statusCode: 500, code: 'INTERNAL', message: 'Internal error' };
  }
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
