import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtension, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import { AppErrorCode, httpStatusOf } from './app-error';

/**
 * The API as a contract (issue 14): the one error body, the errors each operation can give,
 * and the rules every operation shares, written once and added to the OpenAPI document.
 */

/** The code of a 500 (not an AppErrorCode: nothing raises it on purpose). */
export const INTERNAL = 'INTERNAL';
type ErrorCode = AppErrorCode | typeof INTERNAL;
const ALL_CODES: ErrorCode[] = [...Object.values(AppErrorCode), INTERNAL];

/** The API version this server speaks (header `Api-Version`, path alias `/api/v1`): see the README. */
export const API_VERSION = '1';
export const API_VERSION_HEADER = 'Api-Version';

export class FieldProblemDto {
  @ApiProperty({ example: 'attachments[0].name', description: 'The path of the field in the body, the query or the path' })
  field!: string;

  @ApiProperty({ example: 'name must be longer than or equal to 1 characters' })
  reason!: string;
}

/** Every 4xx and 5xx body: `{ statusCode, code, reason?, message, fields? }` (AppErrorFilter). */
export class ErrorBodyDto {
  @ApiProperty({ example: 409, description: 'The HTTP status again' })
  statusCode!: number;

  @ApiProperty({ enum: ALL_CODES, enumName: 'ErrorCode', example: AppErrorCode.CONFLICT, description: 'What kind of refusal; one code per status (see each response)' })
  code!: ErrorCode;

  @ApiPropertyOptional({ example: 'STALE_VERSION', description: 'A finer reason, e.g. the workflow\'s refusal (STALE_VERSION, NOT_AUTHORISED, WRONG_STEP)' })
  reason?: string;

  @ApiProperty({ example: 'version 2 is expected, 1 was given', description: 'For a person to read (API answers in English; the web pages in Vietnamese)' })
  message!: string;

  @ApiPropertyOptional({ type: [FieldProblemDto], description: 'Each bad field and why (VALIDATION)' })
  fields?: FieldProblemDto[];
}

/** What each code means, written once for every response that lists it. */
const MEANING: Record<ErrorCode, string> = {
  VALIDATION: 'the input is not acceptable: each bad field is named in `fields` (nothing was written)',
  PLAN_INVALID: 'the plan file breaks the plan format; `fields` names each problem',
  UNAUTHENTICATED: 'no bearer token, or it expired or was revoked (log in again)',
  FORBIDDEN: 'the person may not do this (role, unit, or the workflow\'s refusal in `reason`: NOT_AUTHORISED, DELEGATION_INVALID, SAME_PERSON)',
  NOT_FOUND: 'no such object, or it is not visible to this person',
  CONFLICT: 'the object is not in a state that accepts this (e.g. `reason` STALE_VERSION, WRONG_STEP, ALREADY_DECIDED, APPROVAL_CLOSED, PENDING_EXISTS); reread and retry',
  RATE_LIMITED: 'too many requests; wait for Retry-After seconds',
  UNAVAILABLE: 'the workflow service (Temporal) or its worker does not answer now; retry later, nothing was changed',
  PAYLOAD_TOO_LARGE: 'the body is larger than the API accepts',
  UNSUPPORTED_MEDIA_TYPE: 'the body is not application/json',
  INTERNAL: 'an unexpected error, logged on the server; the body never carries a stack trace',
};

/** A realistic body per code, in the words the API uses (field values in Vietnamese). */
const EXAMPLE: Record<ErrorCode, Omit<ErrorBodyDto, 'statusCode' | 'code'>> = {
  VALIDATION: { message: 'Invalid input: text must be longer than or equal to 1 characters', fields: [{ field: 'text', reason: 'text must be longer than or equal to 1 characters' }] },
  PLAN_INVALID: { message: 'the plan definition is not valid', fields: [{ field: 'units[3].code', reason: 'mã đơn vị "BTG-TU" lặp lại' }] },
  UNAUTHENTICATED: { message: 'a valid bearer token is required' },
  FORBIDDEN: { reason: 'NOT_AUTHORISED', message: 'Ban Tuyên giáo Tỉnh ủy is not the unit of step "truong-ban"' },
  NOT_FOUND: { message: 'no assignment drafting:KH-TW-2020-v1:FT2:BTG-TU' },
  CONFLICT: { reason: 'STALE_VERSION', message: 'version 2 is expected, 1 was given' },
  RATE_LIMITED: { message: 'ThrottlerException: Too Many Requests' },
  UNAVAILABLE: { reason: 'NO_WORKER', message: 'the workflow service is unavailable; try again shortly' },
  PAYLOAD_TOO_LARGE: { reason: 'BODY_TOO_LARGE', message: 'the body is larger than 10 MB', fields: [{ field: 'body', reason: 'the body is larger than 10 MB' }] },
  UNSUPPORTED_MEDIA_TYPE: { reason: 'UNSUPPORTED_MEDIA_TYPE', message: 'send the body as application/json', fields: [{ field: 'body', reason: 'send the body as application/json' }] },
  INTERNAL: { message: 'Internal error' },
};

const statusOf = (code: ErrorCode) => (code === INTERNAL ? 500 : httpStatusOf(code));

function errorResponse(status: number, codes: ErrorCode[], extra?: string) {
  const description = [
    ...codes.map((c) => `\`${c}\`: ${MEANING[c]}`),
    ...(extra ? [extra] : []),
  ].join('; ');
  const examples = Object.fromEntries(codes.map((c) => [c, { summary: c, value: { statusCode: status, code: c, ...EXAMPLE[c] } }]));
  return {
    description,
    content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorBodyDto) }, examples } },
  };
}

/**
 * The errors an operation gives beyond those every operation can (see completeContract):
 * one response per status, listing its codes; `notes` adds the operation's own reasons.
 */
export function ApiErrors(codes: ErrorCode[], notes: Partial<Record<number, string>> = {}): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  return applyDecorators(
    ...[...byStatus].map(([status, list]) => {
      const { description, content } = errorResponse(status, list, notes[status]);
      return ApiResponse({ status, description, content });
    }),
  );
}

/** Marks an operation that needs no token in the document (the route itself is marked @Public()). */
export const ApiNoToken = () => ApiExtension('x-no-token', true);

/** A page of a list: every list endpoint answers this shape (see README, "Lists"). */
export function PageOf<T>(item: Type<T>, name = `${item.name.replace(/Dto$/, '')}Page`) {
  class Page {
    @ApiProperty({ example: 1, description: 'The page answered (1 for the first)' }) page!: number;
    @ApiProperty({ example: 50, description: 'Items per page asked for' }) pageSize!: number;
    @ApiProperty({ example: 132, description: 'How many items match the filters, over all pages' }) total!: number;
    @ApiProperty({ type: [item] }) items!: T[];
  }
  Object.defineProperty(Page, 'name', { value: name });
  return Page;
}

const IDEMPOTENCY_CONFLICT = 'with an `Idempotency-Key`: `reason` IDEMPOTENCY_KEY_REUSED (the key was used for another request) or IDEMPOTENCY_IN_PROGRESS (its first request still runs: retry later)';
const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Runs the write once per key: a retry gets the first answer (header Idempotent-Replayed: true)',
  schema: { type: 'string', maxLength: 200, example: 'b3f1c2e0-5d1a-4c8e-9f7a-2a6d0c4e8b11' },
};

type Operation = {
  security?: Record<string, string[]>[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  'x-no-token'?: boolean;
  parameters?: object[];
};

/**
 * Adds to every operation what every operation shares, so no controller has to repeat it:
 * its security (bearer token, or none for @ApiNoToken), the errors any request can get
 * (400 bad input found by the InputGuard, 429, 500; 401 and 403 with a token; 413 and 415
 * with a body), and the `Api-Version` header on every answer.
 */
export function completeContract(document: OpenAPIObject): OpenAPIObject {
  const versionHeader = {
    [API_VERSION_HEADER]: { description: 'The API version that answered (see README, "Versioning")', schema: { type: 'string', example: API_VERSION } },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const open = op['x-no-token'] === true;
      delete op['x-no-token'];
      op.security = open ? [] : [{ bearer: [] }];
      const add = (code: ErrorCode) => {
        const status = String(statusOf(code));
        if (!op.responses[status]) op.responses[status] = errorResponse(Number(status), [code]);
      };
      add(AppErrorCode.VALIDATION);
      if (!open) {
        add(AppErrorCode.UNAUTHENTICATED);
        add(AppErrorCode.FORBIDDEN);
      }
      if (method === 'post') {
        // Every write takes an Idempotency-Key (common/idempotency.interceptor.ts).
        op.parameters = [...(op.parameters ?? []), IDEMPOTENCY_KEY];
        const conflict = op.responses['409'] as { description: string } | undefined;
        if (conflict) conflict.description += `; ${IDEMPOTENCY_CONFLICT}`;
        else op.responses['409'] = errorResponse(409, [AppErrorCode.CONFLICT], IDEMPOTENCY_CONFLICT);
      }
      if (op.requestBody) {
        add(AppErrorCode.PAYLOAD_TOO_LARGE);
        add(AppErrorCode.UNSUPPORTED_MEDIA_TYPE);
      }
      add(AppErrorCode.RATE_LIMITED);
      add(INTERNAL);
      for (const [status, response] of Object.entries(op.responses) as [string, { headers?: Record<string, unknown> }][]) {
        if (status.startsWith('2')) response.headers = { ...versionHeader, ...response.headers };
      }
    }
  }
  return document;
}
