import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../calendar/working-calendar';
import { resolveDeadline } from '../deadline/deadline-expression';
import { buildEscalationSchedule, sendBackDeadline } from './escalation-policy';
import { EscalationPolicySchema, type EscalationPolicyInput } from './escalation-policy.schema';

const calendar = createWorkingCalendar();

const standard: EscalationPolicyInput = {
  reminders: [{ beforeWorkingDays: 3 }, { beforeWorkingDays: 1, notify: ['lead-unit', 'lead-unit-head'] }],
  ladder: [
    { afterWorkingDays: 0, notify: ['lead-unit-head'] },
    { afterWorkingDays: 2, notify: ['standing-office'] },
    { afterWorkingDays: 5, notify: ['standing-committee'] },
  ],
  repeat: { everyWorkingDays: 5, times: 2 },
  sendBack: { workingDays: 5 },
};

describe('buildEscalationSchedule', () => {
  it('schedules the January 2020 deadline around Tết: first reminder on 21/01, not inside 23–29/01', () => {
    const deadline = resolveDeadline('cuối tháng 01/2020', calendar);
    expect(buildEscalationSchedule(standard, deadline, calendar)).toEqual([
      { at: '2020-01-21T08:00:00+07:00', type: 'reminder', level: 0, notify: ['lead-unit'] },
      { at: '2020-01-30T08:00:00+07:00', type: 'reminder', level: 0, notify: ['lead-unit', 'lead-unit-head'] },
      { at: '2020-02-01T00:00:00+07:00', type: 'escalation', level: 1, notify: ['lead-unit-head'] },
      { at: '2020-02-04T08:00:00+07:00', type: 'escalation', level: 2, notify: ['standing-office'] },
      { at: '2020-02-07T08:00:00+07:00', type: 'escalation', level: 3, notify: ['standing-committee'] },
      { at: '2020-02-14T08:00:00+07:00', type: 'escalation', level: 3, notify: ['standing-committee'] },
      { at: '2020-02-21T08:00:00+07:00', type: 'escalation', level: 3, notify: ['standing-committee'] },
    ]);
  });

  it('counts from the effective date when the nominal one falls at the weekend', () => {
    const deadline = resolveDeadline('cuối tháng 02/2020', calendar);
    const schedule = buildEscalationSchedule(standard, deadline, calendar);
    expect(schedule[0].at).toBe('2020-02-26T08:00:00+07:00');
    expect(schedule.find((e) => e.level === 1)?.at).toBe('2020-03-03T00:00:00+07:00');
  });

  it('takes second offsets relative to dueAt, for a deadline 6 seconds away', () => {
    const now = Date.parse('2024-06-03T03:00:00.000Z');
    const dueAt = new Date(now + 6000).toISOString();
    const deadline = { nominal: '2024-06-03', effective: '2024-06-03', dueAt };
    const schedule = buildEscalationSchedule(
      {
        reminders: [{ beforeSeconds: 4 }],
        ladder: [
          { afterSeconds: 0, notify: ['lead-unit-head'] },
          { afterSeconds: 2, notify: ['standing-office'] },
        ],
        repeat: { everySeconds: 3, times: 1 },
      },
      deadline,
      calendar,
    );
    expect(schedule.map((e) => [Date.parse(e.at) - now, e.type, e.level])).toEqual([
      [2000, 'reminder', 0],
      [6000, 'escalation', 1],
      [8000, 'escalation', 2],
      [11000, 'escalation', 2],
    ]);
  });

  it('returns entries sorted by time whatever order the policy lists them in', () => {
    const deadline = resolveDeadline('2020-03-31', calendar);
    const schedule = buildEscalationSchedule(
      { reminders: [{ beforeWorkingDays: 1 }, { beforeWorkingDays: 5 }], ladder: [{ afterWorkingDays: 0, notify: ['lead-unit-head'] }] },
      deadline,
      calendar,
    );
    const times = schedule.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('refuses a policy that mixes units in one step', () => {
    const deadline = resolveDeadline('2020-03-31', calendar);
    expect(() => buildEscalationSchedule({ ladder: [{ afterWorkingDays: 1, afterSeconds: 5, notify: ['lead-unit-head'] }] }, deadline, calendar)).toThrow(/exactly one/);
  });
});

describe('sendBackDeadline', () => {
  it('gives the drafter the allowance in working days from the decision', () => {
    expect(sendBackDeadline(standard, '2020-01-21T10:00:00+07:00', calendar)).toEqual({
      nominal: '2020-02-04',
      effective: '2020-02-04',
      dueAt: '2020-02-04T23:59:59+07:00',
    });
  });

  it('or in seconds, for tests', () => {
    const d = sendBackDeadline({ ladder: [{ afterSeconds: 0, notify: ['lead-unit-head'] }], sendBack: { seconds: 30 } }, '2024-06-03T03:00:00Z', calendar);
    expect(d && Date.parse(d.dueAt)).toBe(Date.parse('2024-06-03T03:00:30Z'));
  });
});

describe('repeat.until: the top level repeats until a date, not only a number of times', () => {
  const topAt = (policy: EscalationPolicyInput, deadline: ReturnType<typeof resolveDeadline>) =>
    buildEscalationSchedule(policy, deadline, calendar)
      .filter((e) => e.level === policy.ladder.length)
      .map((e) => e.at);

  it('stops on the 15th working day after the deadline: 31/01/2020 + 15 working days is Friday 21/02, that repeat included', () => {
    const deadline = resolveDeadline('cuối tháng 01/2020', calendar);
    const { times: _times, ...every } = standard.repeat!;
    // Level 3 on 07/02; every 5 working days: 14/02, 21/02 (the bound itself), not 28/02.
    expect(topAt({ ...standard, repeat: { ...every, until: { afterWorkingDays: 15 } } }, deadline)).toEqual([
      '2020-02-07T08:00:00+07:00',
      '2020-02-14T08:00:00+07:00',
      '2020-02-21T08:00:00+07:00',
    ]);
    // times and until together: whichever ends first.
    expect(topAt({ ...standard, repeat: { ...every, times: 1, until: { afterWorkingDays: 15 } } }, deadline)).toHaveLength(2);
  });

  it('runs through the whole of a named day, across the 30/04–01/05 holidays and the weekend after them', () => {
    const deadline = resolveDeadline('2020-04-24', calendar);
    // Every 2 working days from Friday 24/04: Tue 28/04; then 29/04 and, past 30/04, 01/05 and
    // the weekend, Mon 04/05; then Wed 06/05, the last day named; 08/05 is after it.
    const policy: EscalationPolicyInput = { ladder: [{ afterWorkingDays: 0, notify: ['standing-office'] }], repeat: { everyWorkingDays: 2, until: { date: '2020-05-06' } } };
    expect(topAt(policy, deadline)).toEqual(['2020-04-25T00:00:00+07:00', '2020-04-28T08:00:00+07:00', '2020-05-04T08:00:00+07:00', '2020-05-06T08:00:00+07:00']);
  });

  it('takes a bound in seconds after dueAt for tests', () => {
    const deadline = { nominal: '2024-06-03', effective: '2024-06-03', dueAt: '2024-06-03T10:00:00+07:00' };
    const policy: EscalationPolicyInput = { ladder: [{ afterSeconds: 0, notify: ['standing-office'] }], repeat: { everySeconds: 3, until: { afterSeconds: 7 } } };
    expect(topAt(policy, deadline)).toEqual(['2024-06-03T10:00:00+07:00', '2024-06-03T10:00:03+07:00', '2024-06-03T10:00:06+07:00']);
  });

  it('refuses a repeat with neither times nor until, an until with two bounds, and a date that is not one', () => {
    const ladder = [{ afterSeconds: 0, notify: ['standing-office' as const] }];
    expect(EscalationPolicySchema.safeParse({ ladder, repeat: { everySeconds: 3 } }).success).toBe(false);
    expect(EscalationPolicySchema.safeParse({ ladder, repeat: { everySeconds: 3, until: { afterSeconds: 5, date: '2020-05-06' } } }).success).toBe(false);
    expect(EscalationPolicySchema.safeParse({ ladder, repeat: { everySeconds: 3, until: { date: '2020-02-30' } } }).success).toBe(false);
    expect(EscalationPolicySchema.safeParse({ ladder, repeat: { everySeconds: 3, until: { date: '2020-05-06' } } }).success).toBe(true);
  });
});
