import { z } from 'zod';

export const NOTICE_AUDIENCES = ['lead-unit', 'lead-unit-head', 'standing-office', 'standing-committee'] as const;

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

export const RepeatRuleSchema = z
  .strictObject({
    everyWorkingDays: positiveInt.optional(),
    everySeconds: positiveInt.optional(),
    times: z.number().int().min(1).max(100).describe('How many repeated notices after the last ladder step'),
  })
  .superRefine(exactlyOne(['everyWorkingDays', 'everySeconds']));

export const SendBackAllowanceSchema = z
  .strictObject({
    workingDays: positiveInt.optional(),
    seconds: positiveInt.optional(),
  })
  .superRefine(exactlyOne(['workingDays', 'seconds']))
  .describe('Thời hạn hoàn thiện lại / new deadline after a draft is sent back, counted from the decision');

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
});

export type ReminderRule = z.output<typeof ReminderRuleSchema>;
export type LadderStep = z.output<typeof LadderStepSchema>;
export type RepeatRule = z.output<typeof RepeatRuleSchema>;
/** Escalation policy (chính sách nhắc hạn và báo cáo vượt cấp), as data. */
export type EscalationPolicy = z.output<typeof EscalationPolicySchema>;
/** The same policy as written by hand: `noticeTime` and `reminders` may be left out. */
export type EscalationPolicyInput = z.input<typeof EscalationPolicySchema>;
