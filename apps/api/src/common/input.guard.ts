import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Request } from 'express';
import { codePointLabel, describeUnsafeCharacter, findUnsafeCharacter, type UnsafeCharacter } from '@dieu-hanh/domain';
import { langOf, translator, type MessageKey, type Translate } from '../web/i18n/i18n';
import { AppError, AppErrorCode } from './app-error';
import { hasBody, inputProblemOf, type InputProblem } from './body-parsing';

/** Body fields that hold free text, where tab and line breaks belong; every other value is one line. */
export const FREE_TEXT_FIELDS: ReadonlySet<string> = new Set(['text', 'comment', 'reason', 'difficulties', 'definition']);

/** Headers the app stores (Node itself refuses control characters in headers; this keeps the rule whole). */
const STORED_HEADERS = ['idempotency-key'];

const JSON_TYPES = ['application/json', 'application/*+json'];

/** The API and /health answer in English; the web pages in the reader's language. */
export const isWebPath = (req: Request) => !req.path.startsWith('/api/') && req.path !== '/health';

/** Keys that reach an object's prototype when copied onto it (class-transformer copies every key). */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

interface Found {
  /** `text`, `attachments[0].name`, `dueBefore`, `id`, `Idempotency-Key` */
  field: string;
  /** The last name in `field`, for the field's label. */
  leaf: string;
  /** The unsafe character; absent for a forbidden key. */
  char?: UnsafeCharacter;
}

/**
 * "Bad input gets a clear error promptly and changes nothing", once, for every route and form.
 * A global guard (registered after the session and role guards, before a controller's CSRF
 * guard, which must not mistake an unread body for a forged form):
 *  - a body that could not be read (see body-parsing.ts) is refused with its status: 413, 415, 400;
 *  - a JSON body must be an object;
 *  - no string anywhere in the body, the query, the path or a stored header may hold a control
 *    character (tab and line breaks only in free text) or a lone surrogate: PostgreSQL refuses
 *    NUL, and a projection that cannot write retries for ever;
 *  - a query parameter is given once;
 *  - an API route that takes no body (mark read, disable, revoke …) takes no fields either: a
 *    field it would ignore is refused, so a client learns its mistake instead of a silent write.
 * DTOs (ValidationPipe) then check each field's type, length and format.
 */
@Injectable()
export class InputGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    const web = isWebPath(req);
    const t = translator(web ? langOf(req) : 'en');
    const problem = inputProblemOf(req);
    if (problem) throw refusal(problem, t);
    if (hasBody(req) && req.is(JSON_TYPES) && !isPlainObject(req.body)) throw refusal({ status: 400, reason: 'NOT_AN_OBJECT', key: 'input.notObject' }, t);

    if (!web && hasBody(req) && isPlainObject(req.body) && Object.keys(req.body).length > 0 && !readsBody(ctx)) {
      const field = printable(Object.keys(req.body)[0]);
      throw new AppError(AppErrorCode.VALIDATION, t('input.unexpectedBody', { field }), 'UNEXPECTED_BODY', [{ field, reason: 'this request takes no body' }]).localised();
    }

    const repeated = Object.entries(req.query ?? {}).find(([, value]) => Array.isArray(value));
    if (repeated) {
      throw new AppError(AppErrorCode.VALIDATION, t('input.repeated', { field: repeated[0] }), 'REPEATED_PARAMETER', [{ field: repeated[0], reason: 'is given more than once' }]).localised();
    }
    const found = findUnsafe(req);
    if (found && !found.char) {
      throw new AppError(AppErrorCode.VALIDATION, t('input.forbiddenKey', { field: printable(found.field) }), 'FORBIDDEN_KEY', [{ field: printable(found.field), reason: 'is not a field name any form or endpoint takes' }]).localised();
    }
    if (found?.char) {
      const labelKey = `input.field.${found.leaf}` as MessageKey;
      const label = web && t(labelKey) !== labelKey ? t(labelKey) : printable(found.field);
      throw new AppError(
        AppErrorCode.VALIDATION,
        t('input.unsafeChar', { field: label, char: codePointLabel(found.char.codePoint), position: found.char.index + 1 }),
        'UNSAFE_CHARACTER',
        [{ field: printable(found.field), reason: describeUnsafeCharacter(found.char) }],
      ).localised();
    }
    return true;
  }
}

/** Whether the handler reads the body (a @Body() or the whole @Req() parameter). */
function readsBody(ctx: ExecutionContext): boolean {
  const params = (Reflect.getMetadata(ROUTE_ARGS_METADATA, ctx.getClass(), ctx.getHandler().name) ?? {}) as Record<string, unknown>;
  return Object.keys(params).some((key) => {
    const type = Number(key.split(':')[0]);
    return type === RouteParamtypes.BODY || type === RouteParamtypes.REQUEST;
  });
}

function refusal(problem: InputProblem, t: Translate): AppError {
  const code = problem.status === 413 ? AppErrorCode.PAYLOAD_TOO_LARGE : problem.status === 415 ? AppErrorCode.UNSUPPORTED_MEDIA_TYPE : AppErrorCode.VALIDATION;
  return new AppError(code, t(problem.key, problem.params), problem.reason, [{ field: 'body', reason: translator('en')(problem.key, problem.params) }]).localised();
}

/** A field path as it may be echoed: unsafe characters (a key can hold them too) shown as "?". */
const printable = (field: string) => Array.from(field, (c) => (findUnsafeCharacter(c, { multiline: false }) ? '?' : c)).join('');

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The first unsafe character in the path, the query, the stored headers, then the body. Iterative: no depth can overflow it. */
function findUnsafe(req: Request): Found | undefined {
  for (const [name, value] of Object.entries(req.params ?? {})) {
    const found = inValue(value, name, name, false);
    if (found) return found;
  }
  for (const [name, value] of Object.entries(req.query ?? {})) {
    const found = inValue(value, name, name, false);
    if (found) return found;
  }
  for (const name of STORED_HEADERS) {
    const value = req.headers[name];
    const char = typeof value === 'string' ? findUnsafeCharacter(value, { multiline: false }) : undefined;
    if (char) return { field: name.replace(/(^|-)\w/g, (m) => m.toUpperCase()), leaf: name, char };
  }
  // The names of uploaded files are kept and shown like any other field.
  const files = Array.isArray(req.files) ? req.files : [];
  for (const [i, file] of files.entries()) {
    const char = findUnsafeCharacter(file.originalname, { multiline: false });
    if (char) return { field: `files[${i}].name`, leaf: 'fileName', char };
  }
  return req.body === undefined ? undefined : inValue(req.body, 'body', '', true);
}

function inValue(root: unknown, rootLeaf: string, rootPath: string, isBody: boolean): Found | undefined {
  const stack: { value: unknown; path: string; leaf: string }[] = [{ value: root, path: rootPath, leaf: rootLeaf }];
  while (stack.length > 0) {
    const { value, path, leaf } = stack.pop()!;
    if (typeof value === 'string') {
      const char = findUnsafeCharacter(value, { multiline: isBody && FREE_TEXT_FIELDS.has(leaf) });
      if (char) return { field: path || 'body', leaf, char };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}[${i}]`, leaf });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i];
        const keyPath = path ? `${path}.${key}` : key;
        const char = findUnsafeCharacter(key, { multiline: false });
        if (char) return { field: keyPath, leaf: key, char };
        if (FORBIDDEN_KEYS.has(key)) return { field: keyPath, leaf: key };
        stack.push({ value: item, path: keyPath, leaf: key });
      }
    }
  }
  return undefined;
}
