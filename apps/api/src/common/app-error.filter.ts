import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError, AppErrorCode, httpStatusOf } from './app-error';

/**
 * One shape for every error body: { statusCode, code, reason?, message, fields? }.
 * Never a stack trace; unexpected errors are logged and answered with a plain 500.
 */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const body = this.toBody(exception);
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
    return { statusCode: 500, code: 'INTERNAL', message: 'Internal error' };
  }
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
