import { formatVietnameseDate, isIsoDate, isoDate, isYearMonth } from '@dieu-hanh/domain';
import type { Translate } from '../i18n/i18n';

/** A date typed the Vietnamese way, d/m/yyyy or dd/mm/yyyy (also with "-" or "."), as yyyy-mm-dd; undefined if it is no calendar date. */
export function parseDayMonthYear(value: string): string | undefined {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(value);
  if (!m) return undefined;
  const iso = isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
  return isIsoDate(iso) ? iso : undefined;
}

/** A month for the report picker: yyyy-mm (what `<input type="month">` sends) or mm/yyyy (what people type). */
export function parseMonth(value: unknown): string | undefined {
  // A repeated ?period= arrives as an array: not a month.
  const v = typeof value === 'string' ? value.trim() : '';
  if (isYearMonth(v)) return v;
  const m = /^(\d{1,2})[/.-](\d{4})$/.exec(v);
  if (!m) return undefined;
  const month = `${m[2]}-${m[1].padStart(2, '0')}`;
  return isYearMonth(month) ? month : undefined;
}

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

export type Checked<T, F extends string> = { ok: true; value: T } | { ok: false; errors: FieldErrors<F> };

const REASON_MIN = 3;

/**
 * A unit head's extension request as typed: a reason and a proposed date dd/mm/yyyy, which
 * must be after the deadline in force (the workflow refuses otherwise; saying so here names the field).
 */
export function checkExtensionRequest(
  input: { reason: string; proposedDate: string },
  currentDeadline: string,
  t: Translate,
): Checked<{ reason: string; proposedDate: string }, 'reason' | 'proposedDate'> {
  const errors: FieldErrors<'reason' | 'proposedDate'> = {};
  const reason = input.reason.trim();
  if (reason.length < REASON_MIN) errors.reason = t('extension.error.reason', { n: REASON_MIN });
  const proposedDate = input.proposedDate.trim() === '' ? undefined : parseDayMonthYear(input.proposedDate);
  if (input.proposedDate.trim() === '') errors.proposedDate = t('extension.error.dateMissing');
  else if (!proposedDate) errors.proposedDate = t('extension.error.dateFormat', { value: input.proposedDate.trim() });
  else if (proposedDate <= currentDeadline) errors.proposedDate = t('extension.error.dateNotLater', { deadline: formatVietnameseDate(currentDeadline) });
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: { reason, proposedDate: proposedDate! } };
}

/**
 * The Standing Office's decision as typed: grant (optionally to another date dd/mm/yyyy, after
 * the deadline in force) or refuse, which needs a comment so the unit learns why.
 */
export function checkExtensionDecision(
  input: { decision: 'grant' | 'refuse'; comment?: string; date?: string },
  currentDeadline: string,
  t: Translate,
): Checked<{ granted: boolean; comment: string; date?: string }, 'comment' | 'date'> {
  const errors: FieldErrors<'comment' | 'date'> = {};
  const granted = input.decision === 'grant';
  const comment = (input.comment ?? '').trim();
  if (!granted && !comment) errors.comment = t('extension.error.commentNeeded');
  const typed = (input.date ?? '').trim();
  let date: string | undefined;
  if (granted && typed) {
    date = parseDayMonthYear(typed);
    if (!date) errors.date = t('extension.error.dateFormat', { value: typed });
    else if (date <= currentDeadline) errors.date = t('extension.error.dateNotLater', { deadline: formatVietnameseDate(currentDeadline) });
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: { granted, comment, ...(date ? { date } : {}) } };
}
