import { describe, expect, it } from 'vitest';
import { addressWaitedOn } from '../assignment/waits';
import { createWorkingCalendar } from '../calendar/working-calendar';
import { buildWaitSchedule, parseWaitLimit, waitDeadline, WaitLimitSchema } from './wait-deadline';
import type { EscalationPolicyInput } from './escalation-policy.schema';

const calendar = createWorkingCalendar();

const stepPolicy: EscalationPolicyInput = {
  noticeTime: '08:00',
  reminders: [{ beforeWorkingDays: 1, notify: ['waited-on'] }],
  ladder: [
    { afterWorkingDays: 0, notify: ['waited-on', 'standing-office'] },
    { afterWorkingDays: 2, notify: ['standing-committee'] },
  ],
};

describe('waitDeadline', () => {
  it('counts "05 ngày làm việc" from a step opened on Wed 29/04/2020 past 30/4, 1/5 and the weekend: Fri 08/05/2020 23:59:59 +07:00', () => {
    // By hand: 30/4 (Chiến thắng) and 1/5 (Quốc tế Lao động) are holidays, 2–3/5 a weekend;
    // working days 1..5 are Mon 04/05 .. Fri 08/05. The opening day itself is not counted.
    expect(waitDeadline('2020-04-29T03:30:00Z', { workingDays: 5 }, calendar)).toEqual({
      nominal: '2020-05-08',
      effective: '2020-05-08',
      dueAt: '2020-05-08T23:59:59+07:00',
    });
  });

  it('takes the local day of the opening: 17:30 UTC on Thu 07/05/2020 is already Fri 08/05 in Hà Nội', () => {
    // Counted from Friday, 1 working day is Mon 11/05 (counted from Thursday in UTC it would be Fri 08/05).
    expect(waitDeadline('2020-05-07T17:30:00Z', { workingDays: 1 }, calendar).dueAt).toBe('2020-05-11T23:59:59+07:00');
    // Opened on a holiday (Quốc khánh, Wed 02/09/2020): 1 working day is Thu 03/09.
    expect(waitDeadline('2020-09-02T02:00:00Z', { workingDays: 1 }, calendar).dueAt).toBe('2020-09-03T23:59:59+07:00');
  });

  it('counts seconds from the instant for test schedules', () => {
    expect(waitDeadline('2020-04-29T03:30:00Z', { seconds: 90 }, calendar)).toEqual({
      nominal: '2020-04-29',
      effective: '2020-04-29',
      dueAt: '2020-04-29T10:31:30+07:00',
    });
  });
});

describe('buildWaitSchedule', () => {
  it('puts the reminder and the ladder on working days around the step deadline, with the assignments\' engine', () => {
    const { deadline, schedule } = buildWaitSchedule('2020-04-29T03:30:00Z', { workingDays: 5 }, stepPolicy, calendar);
    expect(deadline.dueAt).toBe('2020-05-08T23:59:59+07:00');
    expect(schedule).toEqual([
      { at: '2020-05-07T08:00:00+07:00', type: 'reminder', level: 0, notify: ['waited-on'] },
      { at: '2020-05-09T00:00:00+07:00', type: 'escalation', level: 1, notify: ['waited-on', 'standing-office'] },
      { at: '2020-05-12T08:00:00+07:00', type: 'escalation', level: 2, notify: ['standing-committee'] },
    ]);
  });
});

describe('parseWaitLimit and WaitLimitSchema', () => {
  it('reads the phrases an office writes', () => {
    expect(parseWaitLimit('05 ngày làm việc')).toEqual({ ok: true, limit: { workingDays: 5 } });
    expect(parseWaitLimit('trong 03 ngày làm việc')).toEqual({ ok: true, limit: { workingDays: 3 } });
    expect(parseWaitLimit('thẩm định trong 05 ngày làm việc')).toEqual({ ok: true, limit: { workingDays: 5 } });
    expect(parseWaitLimit('cho ý kiến trong 03 ngày làm việc')).toEqual({ ok: true, limit: { workingDays: 3 } });
    expect(parseWaitLimit('within 2 working days')).toEqual({ ok: true, limit: { workingDays: 2 } });
    expect(parseWaitLimit('1 working day')).toEqual({ ok: true, limit: { workingDays: 1 } });
  });

  it('refuses what it cannot read, and zero days', () => {
    expect(parseWaitLimit('một tuần').ok).toBe(false);
    expect(parseWaitLimit('0 ngày làm việc').ok).toBe(false);
    expect(parseWaitLimit('thẩm định 05 ngày làm việc').ok).toBe(false);
    expect(WaitLimitSchema.safeParse('5 ngày').success).toBe(false);
    expect(WaitLimitSchema.safeParse({ workingDays: 0 }).success).toBe(false);
    expect(WaitLimitSchema.safeParse({ workingDays: 5, seconds: 3 }).success).toBe(false);
    expect(WaitLimitSchema.safeParse({ seconds: 30 }).success).toBe(true);
  });
});

describe('addressWaitedOn', () => {
  it('sends "waited-on" to the unit waited on by code and leaves the other audiences alone', () => {
    expect(addressWaitedOn(['waited-on', 'standing-office'], 'TT-TU')).toEqual({ audience: ['standing-office'], toUnits: ['TT-TU'] });
    expect(addressWaitedOn(['standing-committee'], 'TT-TU')).toEqual({ audience: ['standing-committee'], toUnits: [] });
  });
});
