import { DateTime } from 'luxon';
import type { Deadline, NoticeAudience, ScheduleEntry } from '../assignment/assignment-spec';
import type { IsoDate } from '../calendar/iso-date';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { DEFAULT_TIME_ZONE, deadlineFromNominal } from '../deadline/deadline-expression';
import { EscalationPolicySchema, MAX_REPEATS, type EscalationPolicy, type EscalationPolicyInput } from './escalation-policy.schema';

const DEFAULT_REMINDER_AUDIENCE: NoticeAudience[] = ['lead-unit'];

function instant(iso: string): DateTime {
  const dt = DateTime.fromISO(iso, { setZone: true });
  if (!dt.isValid) throw new RangeError(`not an ISO instant: "${iso}"`);
  return dt;
}

function format(dt: DateTime): string {
  return dt.toISO({ suppressMilliseconds: true }) as string;
}

/**
 * Turns a policy and a deadline into the concrete timers of one assignment, sorted by time
 * (reminders before escalations at the same instant).
 *
 * Working-day offsets fire at the policy's `noticeTime` in the deadline's own offset;
 * second offsets are relative to `dueAt` so tests can run a whole ladder in seconds.
 * Escalation level N is the Nth ladder step; repeats keep the last level and audience, at
 * most `repeat.times` of them and none after `repeat.until`.
 */
export function buildEscalationSchedule(policyInput: EscalationPolicy | EscalationPolicyInput, deadline: Deadline, calendar: WorkingCalendar): ScheduleEntry[] {
  const policy = EscalationPolicySchema.parse(policyInput);
  const due = instant(deadline.dueAt);
  const zone = due.zone;
  const atNoticeTime = (date: IsoDate) => DateTime.fromISO(`${date}T${policy.noticeTime}:00`, { zone });
  // The deadline covers its whole last second: "overdue" starts one second after dueAt.
  const passed = due.plus({ seconds: 1 });

  const entries: { at: DateTime; entry: Omit<ScheduleEntry, 'at'> }[] = [];
  for (const r of policy.reminders) {
    const at = r.beforeSeconds !== undefined ? due.minus({ seconds: r.beforeSeconds }) : atNoticeTime(calendar.addWorkingDays(deadline.effective, -(r.beforeWorkingDays ?? 0)));
    entries.push({ at, entry: { type: 'reminder', level: 0, notify: [...(r.notify ?? DEFAULT_REMINDER_AUDIENCE)] } });
  }

  let lastAt = passed;
  let lastDate = deadline.effective;
  policy.ladder.forEach((step, index) => {
    let at: DateTime;
    if (step.afterSeconds !== undefined) {
      at = due.plus({ seconds: step.afterSeconds });
    } else if (step.afterWorkingDays === 0) {
      at = passed;
    } else {
      lastDate = calendar.addWorkingDays(deadline.effective, step.afterWorkingDays ?? 0);
      at = atNoticeTime(lastDate);
    }
    lastAt = at;
    entries.push({ at, entry: { type: 'escalation', level: index + 1, notify: [...step.notify] } });
  });

  if (policy.repeat) {
    const last = policy.ladder[policy.ladder.length - 1];
    const level = policy.ladder.length;
    const { until } = policy.repeat;
    // The last instant a repeat may fire: on the Nth working day after the deadline (at
    // noticeTime, when working-day repeats fire), through the whole of a named local day, or
    // N seconds after dueAt.
    const untilAt =
      until === undefined
        ? undefined
        : until.afterSeconds !== undefined
          ? due.plus({ seconds: until.afterSeconds })
          : until.date !== undefined
            ? DateTime.fromISO(`${until.date}T23:59:59`, { zone })
            : atNoticeTime(calendar.addWorkingDays(deadline.effective, until.afterWorkingDays ?? 0));
    let at = lastAt;
    let date = lastDate;
    for (let i = 0; i < (policy.repeat.times ?? MAX_REPEATS); i++) {
      if (policy.repeat.everySeconds !== undefined) {
        at = at.plus({ seconds: policy.repeat.everySeconds });
      } else {
        date = calendar.addWorkingDays(date, policy.repeat.everyWorkingDays ?? 1);
        at = atNoticeTime(date);
      }
      if (untilAt !== undefined && at > untilAt) break;
      entries.push({ at, entry: { type: 'escalation', level, notify: [...last.notify] } });
    }
  }

  return entries
    .sort((a, b) => a.at.toMillis() - b.at.toMillis() || a.entry.level - b.entry.level)
    .map(({ at, entry }) => ({ at: format(at), ...entry }));
}

/**
 * The new deadline after an approver sends a draft back: the policy's `sendBack`
 * allowance counted from the decision. Undefined when the policy sets none.
 */
export function sendBackDeadline(
  policyInput: EscalationPolicy | EscalationPolicyInput,
  decidedAt: string,
  calendar: WorkingCalendar,
  timeZone: string = DEFAULT_TIME_ZONE,
): Deadline | undefined {
  const policy = EscalationPolicySchema.parse(policyInput);
  if (!policy.sendBack) return undefined;
  const decided = instant(decidedAt).setZone(timeZone);
  if (policy.sendBack.seconds !== undefined) {
    const dueAt = decided.plus({ seconds: policy.sendBack.seconds });
    const date = dueAt.toISODate() as string;
    return { nominal: date, effective: date, dueAt: format(dueAt) };
  }
  const nominal = calendar.addWorkingDays(decided.toISODate() as string, policy.sendBack.workingDays ?? 0);
  return deadlineFromNominal(nominal, calendar, timeZone);
}
