import { z } from 'zod';

/**
 * `waited-on`: whoever the item waits on: the lead unit for an assignment's own deadline, the
 * step's unit for an approval step, the Standing Office for an extension decision.
 */
export const NOTICE_AUDIENCES = ['lead-unit', 'lead-unit-head', 'standing-office', 'standing-committee', 'waited-on'] as const;

const audience = z.enum(NOTICE_AUDIENCES).describe('Ai nhận / who is notified, relative to the assignment');
const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

function exactlyOne<T extends Record<string, unknown>>(keys: (keyof T & string)[]) {
  return (value: T, ctx: z.RefinementCtx<T>) => {
    const present = keys.filter((k) => value[k] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({ code: 'custom', message: `give exactly one of ${keys.join(', ')}`, path: [] });
    }
  };
}

export const ReminderRuleSchema = z
  .strictObject({
    beforeWorkingDays: positiveInt.optional().describe('Nhắc hạn N ngày làm việc trước hạn / N working days before the effective deadline, at noticeTime'),
    beforeSeconds: positiveInt.optional().describe('N seconds before dueAt (tests, short timers)'),
    notify: z.array(audience).min(1).optional().describe('Defaults to [lead-unit]'),
  })
  .superRefine(exactlyOne(['beforeWorkingDays', 'beforeSeconds']));

export const LadderStepSchema = z
  .strictObject({
    afterWorkingDays: nonNegativeInt
      .optional()
      .describe('0: the moment the deadline passes; N: at noticeTime on the Nth working day after the effective date'),
    afterSeconds: nonNegativeInt.optional().describe('N seconds after dueAt (tests, short timers)'),
    notify: z.array(audience).min(1),
  })
  .superRefine(exactlyOne(['afterWorkingDays', 'afterSeconds']));

/** The most repeats one schedule holds, whatever `times` or `until` say. */
export const MAX_REPEATS = 100;

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export const RepeatUntilSchema = z
  .strictObject({
    afterWorkingDays: positiveInt.optional().describe('Đến hết N ngày làm việc sau hạn / the last repeat on or before the Nth working day after the effective deadline'),
    afterSeconds: positiveInt.optional().describe('N seconds after dueAt (tests, short timers)'),
    date: z
      .string()
      .regex(ISO_DATE, 'date is yyyy-mm-dd')
      .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date')
      .optional()
      .describe('Đến hết ngày / the last repeat on or before this local date, yyyy-mm-dd'),
  })
  .superRefine(exactlyOne(['afterWorkingDays', 'afterSeconds', 'date']))
  .describe('Nhắc lại đến khi nào / until when the top level repeats');

export const RepeatRuleSchema = z
  .strictObject({
    everyWorkingDays: positiveInt.optional(),
    everySeconds: positiveInt.optional(),
    times: z.number().int().min(1).max(MAX_REPEATS).optional().describe('How many repeated notices after the last ladder step (at most)'),
    until: RepeatUntilSchema.optional(),
  })
  .superRefine(exactlyOne(['everyWorkingDays', 'everySeconds']))
  .superRefine((value, ctx) => {
    if (value.times === undefined && value.until === undefined) ctx.addIssue({ code: 'custom', message: 'give times, until or both: the top level does not repeat for ever', path: [] });
  });

export const SendBackAllowanceSchema = z
  .strictObject({
    workingDays: positiveInt.optional(),
    seconds: positiveInt.optional(),
  })
  .superRefine(exactlyOne(['workingDays', 'seconds']))
  .describe('Thời hạn hoàn thiện lại / new deadline after a draft is sent back, counted from the decision');

export const SummaryRuleSchema = z
  .strictObject({
    everySeconds: positiveInt.optional().describe('Tests, short timers; without it the summary is weekly (Monday at noticeTime)'),
  })
  .describe(
    'Tổng hợp thay cho nhắc lặp / with a summary, an item notifies on its first reminder and each new escalation level; repeats of a level are folded into one summary per recipient per period',
  );

export const EscalationPolicySchema = z.strictObject({
  noticeTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'noticeTime is HH:MM (24h)')
    .default('08:00')
    .describe('Local time of day for working-day reminders and escalations'),
  reminders: z.array(ReminderRuleSchema).default([]),
  ladder: z.array(LadderStepSchema).min(1),
  repeat: RepeatRuleSchema.optional(),
  sendBack: SendBackAllowanceSchema.optional(),
  summary: SummaryRuleSchema.optional(),
});

export type ReminderRule = z.output<typeof ReminderRuleSchema>;
export type LadderStep = z.output<typeof LadderStepSchema>;
export type RepeatRule = z.output<typeof RepeatRuleSchema>;
export type RepeatUntil = z.output<typeof RepeatUntilSchema>;
export type SummaryRule = z.output<typeof SummaryRuleSchema>;
/** Escalation policy (chính sách nhắc hạn và báo cáo vượt cấp), as data. */
export type EscalationPolicy = z.output<typeof EscalationPolicySchema>;
/** The same policy as written by hand: `noticeTime` and `reminders` may be left out. */
export type EscalationPolicyInput = z.input<typeof EscalationPolicySchema>;
