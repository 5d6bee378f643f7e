import {
  buildEscalationSchedule,
  buildWaitSchedule,
  createWorkingCalendar,
  deadlineFromNominal,
  isIsoDate,
  openReportPeriod,
  reportPeriodTitle,
  sendBackDeadline,
  type WorkingCalendar,
} from '@dieu-hanh/domain';
import { ApplicationFailure } from '@temporalio/common';
import type { ReportPeriod, ReportPeriodRequest, RescheduleRequest, Rescheduled, WaitScheduleRequest } from '@dieu-hanh/workflows';

/**
 * Calendar work the workflows may not do themselves (the holiday library and the
 * official-notice table are data that can change): its answers are recorded in
 * history, so replay stays deterministic.
 */
export class PlanningActivities {
  constructor(private readonly calendar: WorkingCalendar = createWorkingCalendar()) {}

  /**
   * A new deadline and schedule for an assignment: on the given date (extension,
   * bulk shift), or after a send-back the later of the deadline in force and the
   * policy's send-back allowance from `now`.
   */
  async reschedule({ spec, date, now, current }: RescheduleRequest): Promise<Rescheduled> {
    const policy = spec.escalationPolicy;
    const inForce = current ?? spec.deadline;
    let deadline = inForce;
    if (date) {
      if (!isIsoDate(date)) {
        throw ApplicationFailure.create({ type: 'INVALID', message: `not a calendar date (yyyy-mm-dd): "${date}"`, nonRetryable: true });
      }
      deadline = deadlineFromNominal(date, this.calendar, spec.timeZone);
    } else {
      const sendBack = policy && sendBackDeadline(policy, now, this.calendar, spec.timeZone);
      // Sending a draft back gives at least the policy's allowance, never less time than was left.
      if (sendBack && Date.parse(sendBack.dueAt) > Date.parse(inForce.dueAt)) deadline = sendBack;
    }
    return { deadline, schedule: policy ? buildEscalationSchedule(policy, deadline, this.calendar) : [] };
  }

  /** A wait's deadline counted from `since` on this calendar, and its timers from the policy. */
  async waitSchedule({ since, limit, policy, timeZone }: WaitScheduleRequest): Promise<Rescheduled> {
    return buildWaitSchedule(since, limit, policy, this.calendar, timeZone);
  }

  async nextReportPeriod({ spec, after }: ReportPeriodRequest): Promise<ReportPeriod> {
    if (!spec.report) {
      throw ApplicationFailure.create({ type: 'NOT_A_REPORT', message: `${spec.id} has no report rhythm`, nonRetryable: true });
    }
    const opened = openReportPeriod(spec.report, after, this.calendar, spec.timeZone);
    return { ...opened, title: reportPeriodTitle(spec, opened.period) };
  }
}
