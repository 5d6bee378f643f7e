import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { isLate, settledStatus, type StatusState } from '../assignment/settled-status';

export { isLate, settledStatus, type SettledStatus, type StatusState } from '../assignment/settled-status';

/**
 * The one status taxonomy every page, list filter, SQL query, search attribute and export
 * uses (issue 10). Colours follow the traffic-light convention of Vietnamese task-tracking
 * dashboards: blue on track, amber close, red late, green done, orange "done, but late" so
 * it never reads as plain success, grey cancelled, purple not approved.
 */
export const STATUS_CODES = ['not-due', 'due-soon', 'overdue', 'done-on-time', 'done-late', 'cancelled', 'rejected'] as const;
export type StatusCode = (typeof STATUS_CODES)[number];

export const STATUS_LABELS: Readonly<Record<StatusCode, { vi: string; en: string }>> = {
  'not-due': { vi: 'Chưa đến hạn', en: 'Not yet due' },
  'due-soon': { vi: 'Sắp đến hạn', en: 'Due soon' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
  'done-on-time': { vi: 'Hoàn thành đúng hạn', en: 'Done on time' },
  'done-late': { vi: 'Hoàn thành quá hạn', en: 'Done late' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
  rejected: { vi: 'Không được phê duyệt', en: 'Not approved' },
};

export const STATUS_COLOURS: Readonly<Record<StatusCode, string>> = {
  'not-due': '#1E88E5',
  'due-soon': '#F9A825',
  overdue: '#D32F2F',
  'done-on-time': '#2E7D32',
  'done-late': '#EF6C00',
  cancelled: '#9E9E9E',
  rejected: '#6A1B9A',
};

export const isStatusCode = (value: unknown): value is StatusCode => (STATUS_CODES as readonly unknown[]).includes(value);

/** How early "due soon" begins: working days before the effective date, or seconds before dueAt. */
export type DueSoonThreshold = { workingDays: number } | { seconds: number };

export const DEFAULT_DUE_SOON: DueSoonThreshold = { workingDays: 3 };

const ZONE = 'Asia/Ho_Chi_Minh';

/**
 * The clock's part of the definition, as two instants: an open assignment whose deadline
 * (dueAt) is at or before `lateUpTo` is overdue, else at or before `soonUpTo` due soon,
 * else not yet due. The TypeScript function, the SQL and the Temporal list query all
 * compare dueAt with these same two instants, so they cannot disagree.
 */
export interface StatusClock {
  lateUpTo: Date;
  soonUpTo: Date;
}

export function statusClock(now: Date | string, calendar: WorkingCalendar, dueSoon: DueSoonThreshold = DEFAULT_DUE_SOON): StatusClock {
  const millis = typeof now === 'string' ? DateTime.fromISO(now, { setZone: true }).toMillis() : now.getTime();
  if (!Number.isFinite(millis)) throw new RangeError(`now is not an ISO instant: "${String(now)}"`);
  const lateUpTo = new Date(millis - 1000);
  if ('seconds' in dueSoon) return { lateUpTo, soonUpTo: new Date(millis + dueSoon.seconds * 1000) };
  return { lateUpTo, soonUpTo: new Date(dueSoonUpTo(LOCAL_DAY.format(millis), calendar, dueSoon.workingDays)) };
}

/** yyyy-mm-dd in the plan's zone (en-CA writes ISO dates); one formatter, reused. */
const LOCAL_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The due-soon boundary of a local day, remembered per calendar: it depends only on the day, and
 * lists compute a status per row (issue 12: this scan, in luxon, was most of the API's CPU).
 */
const dueSoonBoundaries = new WeakMap<WorkingCalendar, Map<string, number>>();

function dueSoonUpTo(today: string, calendar: WorkingCalendar, workingDays: number): number {
  let known = dueSoonBoundaries.get(calendar);
  if (!known) dueSoonBoundaries.set(calendar, (known = new Map()));
  const key = `${today}|${workingDays}`;
  const cached = known.get(key);
  if (cached !== undefined) return cached;
  // Due soon from the start of the Nth working day before the effective date: the latest
  // effective date for which that day has come (addWorkingDays is monotonic, so scan forward).
  let last = today;
  for (let i = 0; i < 400; i++) {
    const next = DateTime.fromISO(last, { zone: ZONE }).plus({ days: 1 }).toISODate() as string;
    if (calendar.addWorkingDays(next, -workingDays) > today) break;
    last = next;
  }
  const boundary = DateTime.fromISO(last, { zone: ZONE }).endOf('day').toMillis();
  if (known.size >= 1000) known.clear();
  known.set(key, boundary);
  return boundary;
}

/** Status from the settled part and the deadline in force, at the clock. */
export function statusAt(settled: StatusCode | null, dueAt: Date | string, clock: StatusClock): StatusCode {
  if (settled !== null) return settled;
  const due = typeof dueAt === 'string' ? Date.parse(dueAt) : dueAt.getTime();
  if (due <= clock.lateUpTo.getTime()) return 'overdue';
  if (due <= clock.soonUpTo.getTime()) return 'due-soon';
  return 'not-due';
}

/**
 * THE status of one assignment at `now`, from its reducer state (see `settledStatus` for
 * the rules of finished and submitted ones).
 */
export function assignmentStatus(
  state: StatusState,
  now: Date | string,
  calendar: WorkingCalendar,
  dueSoon: DueSoonThreshold = DEFAULT_DUE_SOON,
): StatusCode {
  return statusAt(settledStatus(state), state.deadline.dueAt, statusClock(now, calendar, dueSoon));
}

/** Column expressions of a read-model table that keeps the settled status and the deadline. */
export interface StatusColumns {
  settled: string;
  dueAt: string;
}

/** Named parameters (`:statusLateUpTo`, `:statusSoonUpTo`) the SQL below expects. */
export const statusSqlParams = (clock: StatusClock) => ({ statusLateUpTo: clock.lateUpTo, statusSoonUpTo: clock.soonUpTo });

/** `statusAt` as a SQL expression, for ORDER BY, GROUP BY and counts. */
export function statusSql(cols: StatusColumns): string {
  return `(CASE WHEN ${cols.settled} IS NOT NULL THEN ${cols.settled}
    WHEN ${cols.dueAt} <= :statusLateUpTo THEN 'overdue'
    WHEN ${cols.dueAt} <= :statusSoonUpTo THEN 'due-soon' ELSE 'not-due' END)`;
}

const quoted = (codes: readonly string[]) => codes.map((c) => `'${c}'`).join(', ');

/**
 * A WHERE condition keeping the rows whose status is one of `codes`, written so the
 * planner can use indexes on both columns (no CASE on the filtered side).
 */
export function statusSqlFilter(codes: readonly StatusCode[], cols: StatusColumns): string {
  if (codes.length === 0) return 'FALSE';
  const open = (code: StatusCode) =>
    code === 'overdue'
      ? `${cols.dueAt} <= :statusLateUpTo`
      : code === 'due-soon'
        ? `(${cols.dueAt} > :statusLateUpTo AND ${cols.dueAt} <= :statusSoonUpTo)`
        : code === 'not-due'
          ? `${cols.dueAt} > :statusSoonUpTo`
          : undefined;
  const clocked = codes.map(open).filter((x): x is string => x !== undefined);
  const parts = [`${cols.settled} IN (${quoted(codes)})`];
  if (clocked.length > 0) parts.push(`(${cols.settled} IS NULL AND (${clocked.join(' OR ')}))`);
  return `(${parts.join(' OR ')})`;
}

/**
 * Values of the DhStatus search attribute that mean "open, the clock decides": the one
 * current workflows write, and those of workflows that started before issue 10.
 */
export const OPEN_SEARCH_STATUSES = ['open', 'overdue'] as const;

/**
 * A Temporal list query (visibility) for the assignments with status `code` at the clock,
 * from DhStatus (the settled status, or 'open') and DhDeadline (dueAt).
 */
export function statusVisibilityQuery(code: StatusCode, clock: StatusClock): string {
  const late = clock.lateUpTo.toISOString();
  const soon = clock.soonUpTo.toISOString();
  const open = `DhStatus IN (${quoted(OPEN_SEARCH_STATUSES)})`;
  const settled = `DhStatus = '${code}'`;
  switch (code) {
    case 'overdue':
      return `(${settled} OR (${open} AND DhDeadline <= '${late}'))`;
    case 'due-soon':
      return `(${open} AND DhDeadline > '${late}' AND DhDeadline <= '${soon}')`;
    case 'not-due':
      return `(${settled} OR (${open} AND DhDeadline > '${soon}'))`;
    default:
      return settled;
  }
}

/** Something that waited or waits on a person (an approval step, an extension decision). */
export interface WaitTimelinessInput {
  unit: string;
  since: string;
  deadline?: { dueAt: string };
  closedAt?: string;
}

/** A wait is "due soon" from the start of the working day before its deadline. */
const WAIT_DUE_SOON: DueSoonThreshold = { workingDays: 1 };

/**
 * The timeliness of a wait, in the same taxonomy and by the same rules as an assignment
 * (answered on time or late; else the same clock): the one who was waited on is on time or
 * late, never the unit that waited. Undefined when the wait has no deadline.
 */
export function waitStatus(wait: WaitTimelinessInput, now: Date | string, calendar: WorkingCalendar): StatusCode | undefined {
  if (!wait.deadline) return undefined;
  const settled: StatusCode | null = wait.closedAt === undefined ? null : isLate(wait.closedAt, wait.deadline.dueAt) ? 'done-late' : 'done-on-time';
  return statusAt(settled, wait.deadline.dueAt, statusClock(now, calendar, WAIT_DUE_SOON));
}

/** Per unit waited on: how many waits it had, answered on time or late, overdue now, still within time. */
export interface WaitedOnStats {
  unit: string;
  total: number;
  onTime: number;
  late: number;
  overdue: number;
  waiting: number;
}

/** Counts waits by the unit waited on, in first-seen unit order. */
export function waitedOnStats(waits: readonly WaitTimelinessInput[], now: Date | string, calendar: WorkingCalendar): WaitedOnStats[] {
  const byUnit = new Map<string, WaitedOnStats>();
  for (const wait of waits) {
    const status = waitStatus(wait, now, calendar);
    if (!status) continue;
    const stats = byUnit.get(wait.unit) ?? { unit: wait.unit, total: 0, onTime: 0, late: 0, overdue: 0, waiting: 0 };
    byUnit.set(wait.unit, stats);
    stats.total++;
    if (status === 'done-on-time') stats.onTime++;
    else if (status === 'done-late') stats.late++;
    else if (status === 'overdue') stats.overdue++;
    else stats.waiting++;
  }
  return [...byUnit.values()];
}
