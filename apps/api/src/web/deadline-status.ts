import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import {
  addDays,
  assignmentStatus,
  STATUS_COLOURS,
  STATUS_LABELS,
  createWorkingCalendar,
  formatVietnameseDate,
  toEpochDay,
  type StatusCode,
} from '@dieu-hanh/domain';
import type { AssignmentEntity } from '@dieu-hanh/persistence';
import type { Lang, Translate } from './i18n/i18n';

export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

export interface StatusView {
  code: StatusCode;
  label: string;
  colour: string;
  /** "còn 3 ngày làm việc", "quá hạn 2 ngày", "xong ngày 30/01/2020". */
  timeText: string;
}

type StatusRow = Pick<AssignmentEntity, 'state' | 'effectiveDeadline' | 'completedAt'>;

/**
 * Status colour and "time left" of one assignment, the same way on every page and in the
 * XLSX export. Working days come from the domain's calendar (Tết, compensation days).
 */
@Injectable()
export class DeadlineStatus {
  private readonly calendar = createWorkingCalendar();

  of(row: StatusRow, lang: Lang, t: Translate, now = new Date()): StatusView {
    const code = assignmentStatus(row.state, now, this.calendar);
    return { code, label: STATUS_LABELS[code][lang], colour: STATUS_COLOURS[code], timeText: this.timeText(row, code, t, now) };
  }

  private timeText(row: StatusRow, code: StatusCode, t: Translate, now: Date): string {
    if (code === 'cancelled' || code === 'rejected') return t('time.closedAt', { date: formatDate(row.completedAt) });
    if (row.completedAt) return t('time.doneAt', { date: formatDate(row.completedAt) });
    const submitted = row.state.lifecycle === 'awaiting-approval' ? row.state.submissions.at(-1) : undefined;
    if (submitted) return t('time.submittedAt', { date: formatDate(submitted.at) });
    return this.clockText(row.effectiveDeadline, code, t, now);
  }

  /** Time to or past an open deadline's effective date (yyyy-mm-dd): of an assignment, or of a wait on a person. */
  clockText(effective: string, code: StatusCode, t: Translate, now: Date): string {
    const today = localDate(now);
    if (code === 'overdue') {
      // How late something is, in plain calendar days: the fact a reader checks against a wall calendar.
      return t('time.overdue', { n: Math.max(1, toEpochDay(today) - toEpochDay(effective)) });
    }
    if (today >= effective) return t('time.dueToday');
    return t('time.left', { n: this.workingDaysAfter(today, effective) });
  }

  /** Working days after `from` up to and including `to`. */
  workingDaysAfter(from: string, to: string): number {
    let n = 0;
    for (let d = this.calendar.nextWorkingDayOnOrAfter(nextDay(from)); d <= to; d = this.calendar.addWorkingDays(d, 1)) n++;
    return n;
  }
}

const nextDay = (iso: string) => addDays(iso, 1);

/** Today's civil date in Asia/Ho_Chi_Minh, yyyy-mm-dd. */
export const localDate = (at: Date = new Date()): string => DateTime.fromJSDate(at, { zone: TIME_ZONE }).toFormat('yyyy-MM-dd');

/** dd/mm/yyyy: an ISO civil date as is, an instant in Asia/Ho_Chi_Minh. */
export function formatDate(value: Date | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatVietnameseDate(value);
  const dt = typeof value === 'string' ? DateTime.fromISO(value) : DateTime.fromJSDate(value);
  return dt.isValid ? dt.setZone(TIME_ZONE).toFormat('dd/MM/yyyy') : String(value);
}

/** dd/mm/yyyy HH:mm in Asia/Ho_Chi_Minh. */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const dt = typeof value === 'string' ? DateTime.fromISO(value) : DateTime.fromJSDate(value);
  return dt.isValid ? dt.setZone(TIME_ZONE).toFormat('dd/MM/yyyy HH:mm') : String(value);
}
