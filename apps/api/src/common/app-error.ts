/** Every refusal the API gives, with the HTTP status it maps to (see AppErrorFilter). */
export enum AppErrorCode {
  VALIDATION = 'VALIDATION',
  PLAN_INVALID = 'PLAN_INVALID',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  RATE_LIMITED = 'RATE_LIMITED',
  UNAVAILABLE = 'UNAVAILABLE',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
}

export interface FieldProblem {
  field: string;
  reason: string;
}

export class AppError extends Error {
  /** True when `message` was written with the request's translator: pages show it as it is. */
  inReaderLanguage = false;

  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** A finer reason, e.g. the workflow's refusal type (STALE_VERSION). */
    readonly reason?: string,
    readonly fields?: FieldProblem[],
    /** Facts the pages put into the refusal's sentence in the reader's language (units, names); not codes. */
    readonly params?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  /** Marks the message as already in the reader's language (built with the request's translator). */
  localised(): this {
    this.inReaderLanguage = true;
    return this;
  }
}

export function httpStatusOf(code: AppErrorCode): number {
  switch (code) {
    case AppErrorCode.VALIDATION:
    case AppErrorCode.PLAN_INVALID:
      return 400;
    case AppErrorCode.UNAUTHENTICATED:
      return 401;
    case AppErrorCode.FORBIDDEN:
      return 403;
    case AppErrorCode.NOT_FOUND:
      return 404;
    case AppErrorCode.CONFLICT:
      return 409;
    case AppErrorCode.RATE_LIMITED:
      return 429;
    case AppErrorCode.UNAVAILABLE:
      return 503;
    case AppErrorCode.PAYLOAD_TOO_LARGE:
      return 413;
    case AppErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return 415;
  }
}

/** Workflow refusal types (ApplicationFailure.type) -> API error codes. */
export function codeOfWorkflowRefusal(type: string | undefined | null): AppErrorCode {
  switch (type) {
    case 'NOT_AUTHORISED':
    case 'DELEGATION_INVALID':
    case 'SAME_PERSON':
      return AppErrorCode.FORBIDDEN;
    case 'STALE_VERSION':
    case 'APPROVAL_CLOSED':
    case 'WRONG_STEP':
    case 'ALREADY_DECIDED':
    case 'ALREADY_ANSWERED':
    case 'NOT_ACCEPTING':
    case 'DUPLICATE':
    case 'ALREADY_ANSWERED':
    case 'PENDING_EXISTS':
    case 'LAUNCH_IN_PROGRESS':
    case 'PLAN_CLOSING':
    case 'PLAN_CLOSED':
      return AppErrorCode.CONFLICT;
    case 'NOT_FOUND':
      return AppErrorCode.NOT_FOUND;
    default:
      return AppErrorCode.VALIDATION;
  }
}

/**
 * A backstop for input that got past validation and that PostgreSQL refused as data (SQLSTATE
 * class 22: a date it cannot read, a number out of range, a NUL): the request's fault, so a 400
 * — nothing was written — rather than a 500. Validation should have caught it; it is still logged.
 */
export function fromDatabaseDataError(exception: unknown): AppError | undefined {
  const driverError = (exception as { name?: unknown; driverError?: { code?: unknown } } | null)?.driverError;
  const sqlState = typeof driverError?.code === 'string' ? driverError.code : undefined;
  if ((exception as { name?: unknown })?.name !== 'QueryFailedError' || !sqlState?.startsWith('22')) return undefined;
  return new AppError(AppErrorCode.VALIDATION, 'a value in the request cannot be stored (wrong date, number or text)', 'UNSTORABLE_VALUE');
}
