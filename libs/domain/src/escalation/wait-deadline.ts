import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Deadline, ScheduleEntry } from '../assignment/assignment-spec';
import type { WaitLimit } from '../assignment/waits';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { DEFAULT_TIME_ZONE, deadlineFromNominal } from '../deadline/deadline-expression';
import { buildEscalationSchedule } from './escalation-policy';
import type { EscalationPolicy, EscalationPolicyInput } from './escalation-policy.schema';

export type { WaitLimit } from '../assignment/waits';

// An optional verb before the limit: "thẩm định trong 05 ngày làm việc", "cho ý kiến trong 03 ngày làm việc".
const WAIT_LIMIT_TEXT = /^(?:[\p{L} ]*?\s*(?:trong(?:\s+vòng)?|within)\s+)?(\d{1,3})\s+(?:ngày làm việc|working days?)$/iu;

/** Reads "05 ngày làm việc", "thẩm định trong 05 ngày làm việc", "cho ý kiến trong 03 ngày làm việc", "within 5 working days". */
export function parseWaitLimit(text: string): { ok: true; limit: WaitLimit } | { ok: false; message: string } {
  const m = WAIT_LIMIT_TEXT.exec(text.normalize('NFC').trim().replace(/\s+/g, ' '));
  if (!m) return { ok: false, message: `cannot read "${text}"; expected "05 ngày làm việc", "trong 03 ngày làm việc" or "5 working days"` };
  const days = Number(m[1]);
  return days > 0 ? { ok: true, limit: { workingDays: days } } : { ok: false, message: 'a time limit is at least 1 working day' };
}

const positiveInt = z.number().int().positive();

/** A wait limit as the plan file writes it: a phrase, `{ workingDays }` or `{ seconds }` (tests). */
export const WaitLimitSchema = z
  .union([
    z.string().describe('Thời hạn / e.g. "05 ngày làm việc", "trong 03 ngày làm việc", "5 working days"'),
    z.strictObject({ workingDays: positiveInt }),
    z.strictObject({ seconds: positiveInt.describe('tests, short timers') }),
  ])
  .superRefine((value, ctx) => {
    if (typeof value !== 'string') return;
    const parsed = parseWaitLimit(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
  });

export type WaitLimitInput = z.input<typeof WaitLimitSchema>;

/** The limit a validated plan value stands for. */
export function waitLimitOf(value: WaitLimitInput): WaitLimit {
  if (typeof value !== 'string') return { ...value };
  const parsed = parseWaitLimit(value);
  if (!parsed.ok) throw new RangeError(parsed.message);
  return parsed.limit;
}

/**
 * The deadline of a wait that began at `since`: the end of the Nth working day after the
 * local day it began (that day itself not counted, as an office counts "trong N ngày làm
 * việc" from the day after receipt), moved past days off; or `since` plus N seconds.
 */
export function waitDeadline(since: string, limit: WaitLimit, calendar: WorkingCalendar, timeZone: string = DEFAULT_TIME_ZONE): Deadline {
  const start = DateTime.fromISO(since, { setZone: true }).setZone(timeZone);
  if (!start.isValid) throw new RangeError(`not an ISO instant: "${since}"`);
  if ('seconds' in limit) {
    const due = start.plus({ seconds: limit.seconds });
    const date = due.toISODate() as string;
    return { nominal: date, effective: date, dueAt: due.toISO({ suppressMilliseconds: true }) as string };
  }
  return deadlineFromNominal(calendar.addWorkingDays(start.toISODate() as string, limit.workingDays), calendar, timeZone);
}

/** Who or what a wait is for, and its timers: the same schedule engine as an assignment's own deadline. */
export interface WaitSchedule {
  deadline: Deadline;
  schedule: ScheduleEntry[];
}

export function buildWaitSchedule(
  since: string,
  limit: WaitLimit,
  policy: EscalationPolicy | EscalationPolicyInput,
  calendar: WorkingCalendar,
  timeZone: string = DEFAULT_TIME_ZONE,
): WaitSchedule {
  const deadline = waitDeadline(since, limit, calendar, timeZone);
  return { deadline, schedule: buildEscalationSchedule(policy, deadline, calendar) };
}

