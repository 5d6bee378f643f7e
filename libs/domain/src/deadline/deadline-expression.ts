import { DateTime } from 'luxon';
import type { Deadline } from '../assignment/assignment-spec';
import { isIsoDate, isoDate, isYearMonth, lastDayOfMonth, daysInMonth, splitYearMonth, type IsoDate, type YearMonth } from '../calendar/iso-date';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { parsePeriodKey } from './report-period-key';
import { parsePeriodicRhythm, periodicNominalDate, type PeriodicRhythm } from './report-rhythm';

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** A one-off deadline, as a plan file writes it once parsed. */
export type OneOffDeadlineExpression =
  | { kind: 'date'; date: IsoDate }
  | { kind: 'end-of-month'; year: number; month: number }
  | { kind: 'working-days-after'; days: number; event: string };

/**
 * When a recurring duty falls due. The three monthly kinds are what the first format read
 * (kept as they were, so specs of plans already running do not change); every other rhythm
 * (weekly, quarterly, half-yearly, yearly, due after the period) is `periodic`.
 */
export type ReportRhythm =
  | { kind: 'monthly-day'; day: number }
  | { kind: 'monthly-last-working-day' }
  | { kind: 'monthly-end' }
  | PeriodicRhythm;

export type DeadlineExpression = OneOffDeadlineExpression | ReportRhythm;

export interface DeadlineContext {
  /** Dates of named events (`working-days-after`); `plan` is conventionally the plan date. */
  events?: Readonly<Record<string, IsoDate>>;
  /** The report period a rhythm is resolved for: `yyyy-mm`, or any period key for `periodic`. */
  period?: YearMonth;
  /** IANA zone the deadline day ends in; Asia/Ho_Chi_Minh unless the plan says otherwise. */
  timeZone?: string;
}

export class DeadlineExpressionError extends Error {
  override readonly name = 'DeadlineExpressionError';
}

const CODE = '([A-Za-z0-9][A-Za-z0-9._-]*)';
const EACH_MONTH_VI = '(?:hằng|hàng|mỗi)\\s+tháng';

const PATTERNS: { re: RegExp; build: (m: RegExpExecArray) => DeadlineExpression | string }[] = [
  {
    re: /^(\d{4}-\d{2}-\d{2})$/,
    build: (m) => (isIsoDate(m[1]) ? { kind: 'date', date: m[1] } : `"${m[1]}" is not a calendar date`),
  },
  {
    re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/,
    build: (m) => {
      const date = isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
      return isIsoDate(date) ? { kind: 'date', date } : `"${m[0]}" is not a calendar date`;
    },
  },
  {
    re: /^(?:end of month|cuối tháng)\s+(\d{1,2})(?:\/|\s+năm\s+)(\d{4})$/i,
    build: (m) => {
      const month = Number(m[1]);
      return month >= 1 && month <= 12 ? { kind: 'end-of-month', year: Number(m[2]), month } : `month ${m[1]} does not exist`;
    },
  },
  {
    re: new RegExp(`^(\\d{1,3})\\s+(?:working days?|ngày làm việc)\\s+(?:after|sau|kể từ)\\s+${CODE}$`, 'i'),
    build: (m) => ({ kind: 'working-days-after', days: Number(m[1]), event: m[2] }),
  },
  {
    re: new RegExp(`^(?:day\\s+(\\d{1,2})\\s+of\\s+each\\s+month|ngày\\s+(\\d{1,2})\\s+${EACH_MONTH_VI})$`, 'i'),
    build: (m) => {
      const day = Number(m[1] ?? m[2]);
      return day >= 1 && day <= 31 ? { kind: 'monthly-day', day } : `day ${day} does not exist in any month`;
    },
  },
  {
    re: new RegExp(`^(?:last working day of each month|ngày làm việc cuối cùng (?:của\\s+)?${EACH_MONTH_VI})$`, 'i'),
    build: () => ({ kind: 'monthly-last-working-day' }),
  },
  {
    re: new RegExp(`^(?:end of each month|cuối ${EACH_MONTH_VI})$`, 'i'),
    build: () => ({ kind: 'monthly-end' }),
  },
];

const ACCEPTED_FORMS =
  'a date (31/01/2020 or 2020-01-31), "cuối tháng 01/2020" / "end of month 1/2020", "10 ngày làm việc sau <event>" / "10 working days after <event>", "ngày 5 hằng tháng" / "day 5 of each month", "ngày làm việc cuối cùng hằng tháng" / "last working day of each month", "cuối hằng tháng" / "end of each month"';

/** Reads a deadline expression as a clerk writes it (Vietnamese or English). */
export function parseDeadlineExpression(text: string): { ok: true; expression: DeadlineExpression } | { ok: false; message: string } {
  const normalised = text.normalize('NFC').trim().replace(/\s+/g, ' ');
  for (const { re, build } of PATTERNS) {
    const m = re.exec(normalised);
    if (!m) continue;
    const result = build(m);
    return typeof result === 'string' ? { ok: false, message: result } : { ok: true, expression: result };
  }
  return { ok: false, message: `cannot read deadline expression "${text}"; expected ${ACCEPTED_FORMS}` };
}

export function isReportRhythm(expression: DeadlineExpression): expression is ReportRhythm {
  return expression.kind === 'monthly-day' || expression.kind === 'monthly-last-working-day' || expression.kind === 'monthly-end' || expression.kind === 'periodic';
}

/**
 * Reads `report.rhythm`: the monthly forms the first format knew, as before, else any
 * periodic rhythm (see `parsePeriodicRhythm`). Messages are Vietnamese / English.
 */
export function parseReportRhythm(text: string): { ok: true; rhythm: ReportRhythm } | { ok: false; message: string } {
  const old = parseDeadlineExpression(text);
  if (old.ok && isReportRhythm(old.expression)) return { ok: true, rhythm: old.expression };
  if (old.ok) return { ok: false, message: `"${text}" là một thời hạn, không phải nhịp báo cáo / "${text}" is a one-off deadline, not a report rhythm` };
  const periodic = parsePeriodicRhythm(text);
  return periodic.ok ? { ok: true, rhythm: periodic.rhythm } : periodic;
}

/** The end instant of a civil day, 23:59:59 local, ISO 8601 with its offset (e.g. `+07:00`). */
export function endOfDayInstant(date: IsoDate, timeZone: string = DEFAULT_TIME_ZONE): string {
  const dt = DateTime.fromISO(`${date}T23:59:59`, { zone: timeZone });
  if (!dt.isValid) throw new DeadlineExpressionError(`cannot place ${date} in time zone "${timeZone}": ${dt.invalidExplanation ?? dt.invalidReason}`);
  return dt.toISO({ suppressMilliseconds: true }) as string;
}

/** Nominal date → Deadline: the effective date moves past days off (Civil Code 2015 art. 148(5)). */
export function deadlineFromNominal(nominal: IsoDate, calendar: WorkingCalendar, timeZone: string = DEFAULT_TIME_ZONE): Deadline {
  const effective = calendar.nextWorkingDayOnOrAfter(nominal);
  return { nominal, effective, dueAt: endOfDayInstant(effective, timeZone) };
}

/** The nominal date an expression names, before any working-day adjustment. */
export function nominalDate(expression: DeadlineExpression, calendar: WorkingCalendar, context: DeadlineContext = {}): IsoDate {
  switch (expression.kind) {
    case 'date':
      return expression.date;
    case 'end-of-month':
      return lastDayOfMonth(expression.year, expression.month);
    case 'working-days-after': {
      const start = context.events?.[expression.event];
      if (start === undefined) throw new DeadlineExpressionError(`the date of event "${expression.event}" is not known`);
      return calendar.addWorkingDays(start, expression.days);
    }
    case 'periodic': {
      const period = context.period === undefined ? undefined : parsePeriodKey(context.period);
      if (period === undefined) throw new DeadlineExpressionError(`a periodic deadline needs a report period, got ${String(context.period)}`);
      return periodicNominalDate(expression, period, calendar);
    }
    case 'monthly-day':
    case 'monthly-last-working-day':
    case 'monthly-end': {
      if (context.period === undefined || !isYearMonth(context.period)) {
        throw new DeadlineExpressionError(`a monthly deadline needs a report period (yyyy-mm), got ${String(context.period)}`);
      }
      const { year, month } = splitYearMonth(context.period);
      if (expression.kind === 'monthly-last-working-day') return calendar.lastWorkingDayOfMonth(year, month);
      if (expression.kind === 'monthly-end') return lastDayOfMonth(year, month);
      // "Day 31 of each month" in a 30-day month means that month's last day.
      return isoDate(year, month, Math.min(expression.day, daysInMonth(year, month)));
    }
  }
}

/**
 * Resolves a deadline expression (text or parsed) to its nominal date, effective date and
 * end instant. Throws `DeadlineExpressionError` for unreadable text or missing context.
 */
export function resolveDeadline(expression: string | DeadlineExpression, calendar: WorkingCalendar, context: DeadlineContext = {}): Deadline {
  let parsed: DeadlineExpression;
  if (typeof expression === 'string') {
    const result = parseDeadlineExpression(expression);
    if (!result.ok) throw new DeadlineExpressionError(result.message);
    parsed = result.expression;
  } else {
    parsed = expression;
  }
  return deadlineFromNominal(nominalDate(parsed, calendar, context), calendar, context.timeZone ?? DEFAULT_TIME_ZONE);
}
