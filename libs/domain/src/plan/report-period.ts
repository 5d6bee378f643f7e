import type { Deadline, ScheduleEntry } from '../assignment/assignment-spec';
import { addMonths, type YearMonth } from '../calendar/iso-date';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { DEFAULT_TIME_ZONE, deadlineFromNominal, nominalDate, type ReportRhythm } from '../deadline/deadline-expression';
import { buildEscalationSchedule } from '../escalation/escalation-policy';
import type { EscalationPolicy } from '../escalation/escalation-policy.schema';

/** One period (kỳ báo cáo) of a recurring report: its month, deadline and timers. */
export interface ReportPeriod {
  /** `yyyy-mm`: the month the report is due in. */
  period: YearMonth;
  deadline: Deadline;
  schedule: ScheduleEntry[];
}

/** The deadline and timers of the report due in `period`. */
export function reportPeriod(
  rhythm: ReportRhythm,
  period: YearMonth,
  policy: EscalationPolicy,
  calendar: WorkingCalendar,
  timeZone: string = DEFAULT_TIME_ZONE,
): ReportPeriod {
  const deadline = deadlineFromNominal(nominalDate(rhythm, calendar, { period }), calendar, timeZone);
  return { period, deadline, schedule: buildEscalationSchedule(policy, deadline, calendar) };
}

/**
 * The period after `period`, with its deadline and timers. The monthly-report workflow
 * calls this (through an activity) each time a period closes.
 */
export function nextReportPeriod(
  rhythm: ReportRhythm,
  period: YearMonth,
  policy: EscalationPolicy,
  calendar: WorkingCalendar,
  timeZone: string = DEFAULT_TIME_ZONE,
): ReportPeriod {
  return reportPeriod(rhythm, addMonths(period, 1), policy, calendar, timeZone);
}

/**
 * What the `nextReportPeriod` activity answers for a monthly-report spec: the first period
 * when `after` is undefined, else the one after `after`.
 */
export function openReportPeriod(
  report: { rhythm: ReportRhythm; policy: EscalationPolicy; firstPeriod: YearMonth },
  after: YearMonth | undefined,
  calendar: WorkingCalendar,
  timeZone: string = DEFAULT_TIME_ZONE,
): ReportPeriod {
  return after === undefined
    ? reportPeriod(report.rhythm, report.firstPeriod, report.policy, calendar, timeZone)
    : nextReportPeriod(report.rhythm, after, report.policy, calendar, timeZone);
}
