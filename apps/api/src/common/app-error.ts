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
}

export interface FieldProblem {
  field: string;
  reason: string;
}

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** A finer reason, e.g. the workflow's refusal type (STALE_VERSION). */
    readonly reason?: string,
    readonly fields?: FieldProblem[],
  ) {
    super(message);
    this.name = 'AppError';
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
  }
}

/** Workflow refusal types (ApplicationFailure.type) -> API error codes. */
export function codeOfWorkflowRefusal(type: string | undefined | null): AppErrorCode {
  switch (type) {
    case 'NOT_AUTHORISED':
    case 'DELEGATION_INVALID':
      return AppErrorCode.FORBIDDEN;
    case 'STALE_VERSION':
    case 'APPROVAL_CLOSED':
    case 'WRONG_STEP':
    case 'ALREADY_DECIDED':
    case 'NOT_ACCEPTING':
    case 'DUPLICATE':
    case 'PENDING_EXISTS':
      return AppErrorCode.CONFLICT;
    case 'NOT_FOUND':
      return AppErrorCode.NOT_FOUND;
    default:
      return AppErrorCode.VALIDATION;
  }
}
