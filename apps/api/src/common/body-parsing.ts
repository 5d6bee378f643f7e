import type { NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';
import multer, { MulterError } from 'multer';
import { ATTACHMENT_MAX_BYTES, ATTACHMENTS_PER_SUBMISSION } from '@dieu-hanh/domain/assignment';
import type { MessageKey } from '../web/i18n/i18n';

/**
 * Reading request bodies, with limits that match the documented ones (README, "Limits").
 *
 * A body that cannot be read — too large, nested too deeply, compressed with an unknown or
 * broken encoding, of a type no route takes, not JSON — is not answered here: the problem is
 * kept on the request and InputGuard raises it inside Nest, so the API answers with the one
 * error shape and a web form with a page in the reader's language (and after the session and
 * role checks, like every other refusal).
 */

const MB = 1024 * 1024;

export const BODY_LIMITS = {
  /** POST /api/plans: a 5,000,000-character plan file, up to 3 bytes a character in UTF-8, plus JSON escapes. */
  planUpload: 16 * MB,
  /**
   * Everything else: a 200,000-character draft posted from the web form is up to 9 bytes a
   * Vietnamese letter once percent-encoded (1.8 MB), plus its difficulties and attachments.
   */
  default: 4 * MB,
  /** A multipart form with files: the files at their own limit each, plus the default for the fields. */
  upload: ATTACHMENTS_PER_SUBMISSION * ATTACHMENT_MAX_BYTES + 4 * MB,
} as const;

/** The multipart field files come in, on the routes that take files. */
export const UPLOAD_FIELD = 'files';

/** Deepest JSON nesting read; the deepest body any route takes is 3 levels (attachments[i].name). */
export const MAX_JSON_DEPTH = 32;

/** Deepest form field name read (`a[b][c]`); the forms use flat names and repeated ones. */
export const FORM_DEPTH = 5;

const CONTENT_ENCODINGS = ['identity', 'gzip', 'deflate', 'br'];
const BODY_TYPES = ['application/json', 'application/*+json', 'application/x-www-form-urlencoded'];

/** Why a body was not read: an HTTP status and a message key of the i18n catalogues. */
export interface InputProblem {
  status: 400 | 413 | 415;
  /** The error body's `reason`. */
  reason: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

const PROBLEM = Symbol('input-problem');
type WithProblem = Request & { [PROBLEM]?: InputProblem };

/** The problem found while reading this request's body, if any (taken by InputGuard). */
export function inputProblemOf(req: Request): InputProblem | undefined {
  return (req as WithProblem)[PROBLEM];
}

/**
 * The routes that take files (multipart/form-data): the API's upload, the web form that
 * submits a draft or report, and the web plan import. Everywhere else multipart is a 415.
 */
const takesFiles = (req: Request) =>
  req.method === 'POST' &&
  (/^\/api\/assignments\/[^/]+\/files\/?$/.test(req.path) || /^\/assignments\/[^/]+\/submissions\/?$/.test(req.path) || /^\/plans\/import\/?$/.test(req.path));

const isPlanUpload = (req: Request) => req.method === 'POST' && /^\/api\/plans\/?$/.test(req.path);

/**
 * A history file for the auditors' import is larger than any form: it may come as a raw file
 * (octet-stream or text), which the import route reads itself with its own limit (readImportBody).
 */
const isRawHistoryImport = (req: Request) =>
  req.method === 'POST' && /^\/api\/audit\/imports\/?$/.test(req.path) && req.is(['application/octet-stream', 'text/plain']) !== false;

export const hasBody = (req: Request) => req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

const megabytes = (bytes: number) => `${Math.round(bytes / MB)} MB`;

/** The JSON and form parsers for every route, the plan upload's with its larger limit. */
export function bodyParsing(): RequestHandler {
  const build = (limit: number) => ({
    limit,
    json: express.json({ limit, strict: false, type: ['application/json', 'application/*+json'], verify: refuseDeepJson }),
    // extended (qs), nested at most FORM_DEPTH (deeper is a 400) with 1,000 fields at most (more is a 413).
    // `depth` is a body-parser 2 option its types do not list yet.
    form: express.urlencoded({ limit, extended: true, parameterLimit: 1000, ...{ depth: FORM_DEPTH } }),
  });
  const plan = build(BODY_LIMITS.planUpload);
  const other = build(BODY_LIMITS.default);
  // Files in memory: at most ATTACHMENTS_PER_SUBMISSION of ATTACHMENT_MAX_BYTES, hashed and sniffed before anything is written.
  const multipart = multer({
    storage: multer.memoryStorage(),
    // Browsers send a file's name as UTF-8 without saying so; busboy would read it as Latin-1.
    defParamCharset: 'utf8',
    limits: { fileSize: ATTACHMENT_MAX_BYTES, files: ATTACHMENTS_PER_SUBMISSION, fields: 1000, fieldSize: BODY_LIMITS.default, parts: 1000 + ATTACHMENTS_PER_SUBMISSION },
  }).array(UPLOAD_FIELD, ATTACHMENTS_PER_SUBMISSION);

  return (req: Request, res: Response, next: NextFunction) => {
    const keep = (problem: InputProblem) => {
      (req as WithProblem)[PROBLEM] = problem;
      next();
    };
    if (!hasBody(req)) return next();
    const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (!CONTENT_ENCODINGS.includes(encoding)) return keep({ status: 415, reason: 'UNSUPPORTED_ENCODING', key: 'input.encoding', params: { encoding: printable(encoding) } });
    if (isRawHistoryImport(req) && encoding === 'identity') return next();
    if (takesFiles(req) && req.is('multipart/form-data')) {
      if (encoding !== 'identity') return keep({ status: 415, reason: 'UNSUPPORTED_ENCODING', key: 'input.encoding', params: { encoding: printable(encoding) } });
      if (Number(req.headers['content-length'] ?? 0) > BODY_LIMITS.upload) return keep({ status: 413, reason: 'BODY_TOO_LARGE', key: 'input.tooLarge', params: { limit: megabytes(BODY_LIMITS.upload) } });
      return multipart(req, res, (err?: unknown) => (err ? keep(multipartProblem(err)) : next()));
    }
    if (!req.is(BODY_TYPES)) return keep({ status: 415, reason: 'UNSUPPORTED_MEDIA_TYPE', key: 'input.mediaType', params: { type: printable(req.headers['content-type'] ?? '') } });
    // Pages and clients send UTF-8; body-parser would also decode UTF-16 (JSON) or Latin-1 (forms) into something else.
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return keep({ status: 415, reason: 'UNSUPPORTED_CHARSET', key: 'input.charset' });
    const parsers = isPlanUpload(req) ? plan : other;
    parsers.json(req, res, (err?: unknown) => {
      if (err) return keep(problemOf(err, parsers.limit, encoding));
      parsers.form(req, res, (err2?: unknown) => (err2 ? keep(problemOf(err2, parsers.limit, encoding)) : next()));
    });
  };
}

/** body-parser's errors (http-errors with a `type`, or zlib's) as what the person should be told. */
function problemOf(err: unknown, limit: number, encoding: string): InputProblem {
  const e = err as { type?: string; status?: number; code?: string; message?: string };
  switch (e.type) {
    case 'entity.too.large':
      return { status: 413, reason: 'BODY_TOO_LARGE', key: 'input.tooLarge', params: { limit: megabytes(limit) } };
    case 'parameters.too.many':
      return { status: 413, reason: 'TOO_MANY_FIELDS', key: 'input.tooManyFields' };
    case 'entity.too.deep':
      return { status: 400, reason: 'NESTED_TOO_DEEP', key: 'input.tooDeep', params: { n: MAX_JSON_DEPTH } };
    case 'querystring.parse.rangeError':
      return { status: 400, reason: 'NESTED_TOO_DEEP', key: 'input.tooDeep', params: { n: FORM_DEPTH } };
    case 'encoding.unsupported':
      return { status: 415, reason: 'UNSUPPORTED_ENCODING', key: 'input.encoding', params: { encoding: printable(encoding) } };
    case 'charset.unsupported':
      return { status: 415, reason: 'UNSUPPORTED_CHARSET', key: 'input.charset' };
    case 'entity.parse.failed':
      return { status: 400, reason: 'INVALID_JSON', key: 'input.badJson' };
    default:
      // zlib (Z_DATA_ERROR, Z_BUF_ERROR …): a body that says gzip and is not.
      if (typeof e.code === 'string' && e.code.startsWith('Z_')) return { status: 400, reason: 'INVALID_COMPRESSED_BODY', key: 'input.badCompressed', params: { encoding } };
      return { status: 400, reason: 'UNREADABLE_BODY', key: 'input.unreadable' };
  }
}

/** multer's and busboy's errors as what the person should be told. */
function multipartProblem(err: unknown): InputProblem {
  if (!(err instanceof MulterError)) return { status: 400, reason: 'UNREADABLE_BODY', key: 'input.unreadable' };
  switch (err.code) {
    case 'LIMIT_FILE_SIZE':
      return { status: 413, reason: 'FILE_TOO_LARGE', key: 'upload.tooLarge', params: { limit: megabytes(ATTACHMENT_MAX_BYTES) } };
    case 'LIMIT_FILE_COUNT':
      return { status: 413, reason: 'TOO_MANY_FILES', key: 'upload.tooMany', params: { n: ATTACHMENTS_PER_SUBMISSION } };
    case 'LIMIT_UNEXPECTED_FILE':
      return { status: 400, reason: 'UNEXPECTED_FILE_FIELD', key: 'upload.unexpectedField', params: { field: UPLOAD_FIELD } };
    case 'LIMIT_FIELD_VALUE':
      return { status: 413, reason: 'BODY_TOO_LARGE', key: 'input.tooLarge', params: { limit: megabytes(BODY_LIMITS.default) } };
    case 'LIMIT_PART_COUNT':
    case 'LIMIT_FIELD_COUNT':
      return { status: 413, reason: 'TOO_MANY_FIELDS', key: 'input.tooManyFields' };
    default:
      return { status: 400, reason: 'UNREADABLE_BODY', key: 'input.unreadable' };
  }
}

/**
 * body-parser's `verify`: measures the nesting of the raw JSON before JSON.parse sees it, so
 * a body nested 5,000 deep is refused without building it. Bytes below 0x80 are ASCII in
 * UTF-8, so brackets and quotes can be read byte by byte.
 */
function refuseDeepJson(_req: unknown, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (inString) {
      if (b === 0x5c) i++; // backslash: skip the escaped byte
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) {
      inString = true;
    } else if (b === 0x5b || b === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw Object.assign(new Error(`JSON nested more than ${MAX_JSON_DEPTH} levels`), { type: 'entity.too.deep', status: 400 });
    } else if (b === 0x5d || b === 0x7d) {
      depth--;
    }
  }
}

/** A header value as it may be echoed in a message: printable ASCII, at most 40 characters. */
const printable = (value: string) => value.replace(/[^\x20-\x7e]/g, '?').slice(0, 40);
