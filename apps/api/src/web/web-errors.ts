import { AppError, AppErrorCode, httpStatusOf } from '../common/app-error';
import type { Translate } from './i18n/i18n';

/**
 * A refusal to show inside the page the person was on (their typed comment or draft kept),
 * rather than on an error page: the workflow said no, or the input was wrong.
 */
export function inPageRefusal(err: unknown, t: Translate): { status: number; message: string } | undefined {
  if (!(err instanceof AppError)) return undefined;
  const inPage = [AppErrorCode.VALIDATION, AppErrorCode.CONFLICT, AppErrorCode.UNAVAILABLE, AppErrorCode.FORBIDDEN];
  if (!inPage.includes(err.code) || err.reason === 'CSRF') return undefined;
  const message = err.reason === 'COMMENT_REQUIRED' ? t('decide.commentNeeded') : t('error.refused', { message: err.message });
  return { status: httpStatusOf(err.code), message };
}
