import type { Request } from 'express';
import { AppError, AppErrorCode } from '../common/app-error';

/** The largest history file we import (a year of a monthly duty is well under this). */
export const IMPORT_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The import's JSON: already parsed (application/json within the API's body limit), or
 * read here from a raw body (application/octet-stream, text/plain) up to IMPORT_MAX_BYTES,
 * so big history files do not need the global JSON limit raised.
 */
export async function readImportBody(req: Request, parsed: unknown): Promise<unknown> {
  if (req.is('application/json')) return parsed;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > IMPORT_MAX_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > IMPORT_MAX_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.includes('\u0000')) throw new AppError(AppErrorCode.VALIDATION, 'the file contains NUL characters', undefined, [{ field: 'body', reason: 'not a JSON text file' }]);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError(AppErrorCode.VALIDATION, `the file is not JSON: ${(err as Error).message}`, undefined, [{ field: 'body', reason: 'must be JSON' }]);
  }
}

const tooLarge = () =>
  new AppError(AppErrorCode.VALIDATION, `a history file may be at most ${IMPORT_MAX_BYTES / 1024 / 1024} MB`, 'TOO_LARGE', [{ field: 'body', reason: 'too large' }]);
