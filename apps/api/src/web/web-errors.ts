import { AppError, AppErrorCode, httpStatusOf } from '../common/app-error';
import { isMessageKey, type Translate } from './i18n/i18n';

/**
 * A refusal to show inside the page the person was on (their typed comment or draft kept),
 * rather than on an error page: the workflow said no, or the input was wrong.
 */
export function inPageRefusal(err: unknown, t: Translate): { status: number; message: string } | undefined {
  if (!(err instanceof AppError)) return undefined;
  const inPage = [AppErrorCode.VALIDATION, AppErrorCode.CONFLICT, AppErrorCode.UNAVAILABLE, AppErrorCode.FORBIDDEN];
  if (!inPage.includes(err.code) || err.reason === 'CSRF') return undefined;
  const message = err.reason === 'COMMENT_REQUIRED' ? t('decide.commentNeeded') : t('error.refused', { message: refusalText(err, t) });
  return { status: httpStatusOf(err.code), message };
}

/**
 * A refusal in the reader's language, without internal codes: the sentence for its reason
 * (SAME_PERSON, OTHER_UNIT …) with the facts it carries, or else the one for its kind
 * (forbidden, conflict …). The API's JSON keeps the code and the technical message.
 */
function fieldLabel(field: string, t: Translate): string {
  const leaf = field.split('.').pop() ?? field;
  const key = `input.field.${leaf}`;
  return `"${isMessageKey(key) ? t(key) : leaf}"`;
}

export function refusalText(err: unknown, t: Translate): string {
  if (err instanceof AppError) {
    if (err.inReaderLanguage) return err.message;
    const key = `refusal.${err.reason ?? ''}`;
    if (err.reason && isMessageKey(key)) return t(key, { own: '', unit: '', ...err.params });
    const general = t(`refusal.code.${err.code}` as never);
    // Which fields were wrong, by the names the forms give them (the reasons stay in the API's JSON).
    const fields = [...new Set((err.fields ?? []).map((f) => fieldLabel(f.field, t)))];
    // Reasons the domain writes in both languages ("vi / en") are shown in the reader's.
    const reasons = [...new Set((err.fields ?? []).map((f) => readerSide(f.reason, t)).filter((r): r is string => r !== undefined))];
    const text = fields.length ? t('refusal.fields', { what: general.replace(/\.$/, ''), fields: fields.join(', ') }) : general;
    return reasons.length ? `${text.replace(/\.$/, '')}: ${reasons.join('; ')}.` : text;
  }
  return t('refusal.code.INTERNAL' as never);
}

/** The reader's half of a reason written "tiếng Việt / English", or undefined when it is not written so. */
function readerSide(reason: string, t: Translate): string | undefined {
  const parts = reason.split(' / ');
  if (parts.length !== 2) return undefined;
  return parts[t('refusal.side') === 'en' ? 1 : 0]!.trim();
}
