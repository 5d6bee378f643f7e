import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../calendar/working-calendar';

/**
 * The status taxonomy every screen and report uses, in the order a list sorts by urgency
 * last-to-first. Colours follow the traffic-light convention of Vietnamese task-tracking
 * dashboards: grey not yet begun, blue on track, amber close, red late, green done, and a
 * darker orange for "done, but late" so it never reads as plain success.
 */
export const STATUS_CODES = ['not-started', 'in-progress', 'due-soon', 'overdue', 'done-on-time', 'done-late'] as const;
export type StatusCode = (typeof STATUS_CODES)[number];

export const STATUS_LABELS: Readonly<Record<StatusCode, { vi: string; en: string }>> = {
  'not-started': { vi: 'Chưa thực hiện', en: 'Not started' },
  'in-progress': { vi: 'Đang thực hiện, trong hạn', en: 'In progress, within deadline' },
  'due-soon': { vi: 'Sắp đến hạn', en: 'Due soon' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
  'done-on-time': { vi: 'Hoàn thành đúng hạn', en: 'Done on time' },
  'done-late': { vi: 'Hoàn thành quá hạn', en: 'Done late' },
};

export const STATUS_COLOURS: Readonly<Record<StatusCode, string>> = {
  'not-started': '#9E9E9E',
  'in-progress': '#1E88E5',
  'due-soon': '#F9A825',
  overdue: '#D32F2F',
  'done-on-time': '#2E7D32',
  'done-late': '#EF6C00',
};

/** How early "due soon" begins: working days before the effective date, or seconds before dueAt. */
export type DueSoonThreshold = { workingDays: number } | { seconds: number };

export const DEFAULT_DUE_SOON: DueSoonThreshold = { workingDays: 3 };

export interface StatusInput {
  started: boolean;
  /** ISO instant the assignment was completed (submitted and accepted), if it was. */
  completedAt?: string;
  /** The deadline's end instant (Deadline.dueAt), ISO with offset. */
  dueAt: string;
  /** ISO instant to classify at. */
  now: string;
  /** Needed for working-day thresholds. */
  calendar?: WorkingCalendar;
  dueSoon?: DueSoonThreshold;
}

function instant(iso: string, field: string): DateTime {
  const dt = DateTime.fromISO(iso, { setZone: true });
  if (!dt.isValid) throw new RangeError(`${field} is not an ISO instant: "${iso}"`);
  return dt;
}

/** True when `at` is past the deadline. The deadline covers its whole last second (23:59:59). */
export function isLate(at: string, dueAt: string): boolean {
  return instant(at, 'at').toMillis() >= instant(dueAt, 'dueAt').toMillis() + 1000;
}

/**
 * Classifies one assignment at `now`. Completion decides first (on time or late); then
 * overdue; then "due soon" (from the start of the Nth working day before the effective
 * date, in the deadline's own offset); then started or not.
 */
export function classifyStatus(input: StatusInput): StatusCode {
  const due = instant(input.dueAt, 'dueAt');
  if (input.completedAt !== undefined) return isLate(input.completedAt, input.dueAt) ? 'done-late' : 'done-on-time';
  if (isLate(input.now, input.dueAt)) return 'overdue';
  const threshold = input.dueSoon ?? DEFAULT_DUE_SOON;
  let dueSoonFrom: DateTime;
  if ('seconds' in threshold) {
    dueSoonFrom = due.minus({ seconds: threshold.seconds });
  } else {
    if (!input.calendar) throw new RangeError('a working-day due-soon threshold needs a calendar');
    const from = input.calendar.addWorkingDays(due.toISODate() as string, -threshold.workingDays);
    dueSoonFrom = DateTime.fromISO(`${from}T00:00:00`, { zone: due.zone });
  }
  if (instant(input.now, 'now').toMillis() >= dueSoonFrom.toMillis()) return 'due-soon';
  return input.started ? 'in-progress' : 'not-started';
}
