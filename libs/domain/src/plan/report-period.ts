import type { AssignmentSpec, Deadline, ScheduleEntry } from '../assignment/assignment-spec';
import type { IsoDate } from '../calendar/iso-date';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { DEFAULT_TIME_ZONE, deadlineFromNominal, nominalDate, type ReportRhythm } from '../deadline/deadline-expression';
import {
  comparePeriods,
  formatPeriodKey,
  nextPeriod,
  parsePeriodKey,
  periodContaining,
  periodReportName,
  type PeriodUnit,
} from '../deadline/report-period-key';
import { buildEscalationSchedule } from '../escalation/escalation-policy';
import type { EscalationPolicy } from '../escalation/escalation-policy.schema';

/** One period (kỳ báo cáo) of a recurring report: its key, deadline and timers. */
export interface ReportPeriod {
  /** The period's key: `yyyy-mm`, `yyyy-Qn`, `yyyy-Hn`, `yyyy` or `yyyy-Www`. */
  period: string;
  deadline: Deadline;
  schedule: ScheduleEntry[];
  /** True for the duty's last period: the duty stops once it has opened it. */
  last?: boolean;
  /** The period's report as lists and notices name it, e.g. "Báo cáo quý I/2021 — Ban Tổ chức". */
  title?: string;
}

/** How often a rhythm falls due: the three first-format kinds are monthly. */
export function rhythmUnit(rhythm: ReportRhythm): PeriodUnit {
  return rhythm.kind === 'periodic' ? rhythm.every : 'month';
}

/** The deadline and timers of the report due for `period`. */
export function reportPeriod(
  rhythm: ReportRhythm,
  period: string,
  policy: EscalationPolicy,
  calendar: WorkingCalendar,
  timeZone: string = DEFAULT_TIME_ZONE,
): ReportPeriod {
  const deadline = deadlineFromNominal(nominalDate(rhythm, calendar, { period }), calendar, timeZone);
  return { period, deadline, schedule: buildEscalationSchedule(policy, deadline, calendar) };
}

/** The key of the period after `period` (same unit). */
export function followingPeriodKey(period: string): string {
  const p = parsePeriodKey(period);
  if (!p) throw new RangeError(`not a report period: "${period}"`);
  return formatPeriodKey(nextPeriod(p));
}

/** The period after `period`, with its deadline and timers. */
export function nextReportPeriod(
  rhythm: ReportRhythm,
  period: string,
  policy: EscalationPolicy,
  calendar: WorkingCalendar,
  timeZone: string = DEFAULT_TIME_ZONE,
): ReportPeriod {
  return reportPeriod(rhythm, followingPeriodKey(period), policy, calendar, timeZone);
}

/** A recurring report as a spec carries it (`AssignmentSpec.report`). */
export type ReportDuty = NonNullable<AssignmentSpec['report']>;

/**
 * What the `nextReportPeriod` activity answers for a report duty: the first period when
 * `after` is undefined, else the one after `after`; `last` on the duty's last period.
 */
export function openReportPeriod(
  report: ReportDuty,
  after: string | undefined,
  calendar: WorkingCalendar,
  timeZone: string = DEFAULT_TIME_ZONE,
): ReportPeriod {
  const opened =
    after === undefined
      ? reportPeriod(report.rhythm, report.firstPeriod, report.policy, calendar, timeZone)
      : nextReportPeriod(report.rhythm, after, report.policy, calendar, timeZone);
  return report.lastPeriod !== undefined && opened.period >= report.lastPeriod ? { ...opened, last: true } : opened;
}

/**
 * A period's title in lists, notices and exports: "Báo cáo tháng 03/2020 — <who>", where
 * <who> is the duty's subject (its lead unit, and its own title when the plan gives one).
 */
export function reportPeriodTitle(spec: Pick<AssignmentSpec, 'title' | 'report'>, period: string): string {
  return `${periodReportName(period)} — ${spec.report?.subject ?? spec.title}`;
}

/**
 * The last period of a duty of `unit`: `lastPeriod` as written, else the period holding the
 * end date (`until`, or else the plan's horizon); undefined when nothing ends it. A period
 * in which the duty is still in force for a day is reported on.
 */
export function lastReportPeriod(unit: PeriodUnit, end: { lastPeriod?: string; until?: IsoDate; horizonEnd?: IsoDate }): string | undefined {
  if (end.lastPeriod !== undefined) return end.lastPeriod;
  const date = end.until ?? end.horizonEnd;
  return date === undefined ? undefined : formatPeriodKey(periodContaining(unit, date));
}

/** Every period key from `first` to `last` inclusive (same unit), e.g. for a plan's statistics. */
export function periodKeysBetween(first: string, last: string): string[] {
  const a = parsePeriodKey(first);
  const b = parsePeriodKey(last);
  if (!a || !b || a.unit !== b.unit) throw new RangeError(`not two periods of one length: "${first}", "${last}"`);
  const keys: string[] = [];
  for (let p = a; comparePeriods(p, b) <= 0; p = nextPeriod(p)) keys.push(formatPeriodKey(p));
  return keys;
}
