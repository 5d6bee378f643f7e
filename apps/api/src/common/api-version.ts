import type { NextFunction, Request, Response } from 'express';
import { API_VERSION, API_VERSION_HEADER, INTERNAL } from './api-contract';
import { AppErrorCode } from './app-error';

const PREFIX = `/api/v${API_VERSION}/`;

/**
 * API versioning (README, "Versioning"): `/api/v1/...` is the same operation as `/api/...`;
 * every answer names its version in `Api-Version`; a client that asks for a version this
 * server does not speak (header `Api-Version`) gets a 400 instead of a silently different answer.
 */
export function apiVersioning() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.url.startsWith(PREFIX)) req.url = `/api/${req.url.slice(PREFIX.length)}`;
    else if (/^\/api\/v\d+\//.test(req.url)) return refuse(res, 404, AppErrorCode.NOT_FOUND, `API version ${req.url.split('/')[2].slice(1)} does not exist; this server speaks version ${API_VERSION}`);
    if (!req.url.startsWith('/api/') && req.path !== '/health') return next();
    res.setHeader(API_VERSION_HEADER, API_VERSION);
    const asked = req.headers[API_VERSION_HEADER.toLowerCase()];
    if (asked !== undefined && asked !== API_VERSION) {
      return refuse(res, 400, AppErrorCode.VALIDATION, `${API_VERSION_HEADER} ${String(asked)} is not supported; this server speaks version ${API_VERSION}`, 'UNSUPPORTED_VERSION');
    }
    next();
  };
}

function refuse(res: Response, statusCode: number, code: AppErrorCode | typeof INTERNAL, message: string, reason?: string) {
  res.setHeader(API_VERSION_HEADER, API_VERSION);
  res.status(statusCode).json({ statusCode, code, reason, message, fields: [{ field: API_VERSION_HEADER, reason: message }] });
}
