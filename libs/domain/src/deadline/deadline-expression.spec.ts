import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../calendar/working-calendar';
import { DeadlineExpressionError, parseDeadlineExpression, resolveDeadline } from './deadline-expression';

const calendar = createWorkingCalendar();

describe('parseDeadlineExpression', () => {
  it.each([
    ['31/01/2020', { kind: 'date', date: '2020-01-31' }],
    ['2020-01-31', { kind: 'date', date: '2020-01-31' }],
    ['cuối tháng 01/2020', { kind: 'end-of-month', year: 2020, month: 1 }],
    ['cuối tháng 02 năm 2020', { kind: 'end-of-month', year: 2020, month: 2 }],
    ['end of month 2/2020', { kind: 'end-of-month', year: 2020, month: 2 }],
    ['10 ngày làm việc sau plan', { kind: 'working-days-after', days: 10, event: 'plan' }],
    ['3 working days after approval', { kind: 'working-days-after', days: 3, event: 'approval' }],
    ['ngày 25 hằng tháng', { kind: 'monthly-day', day: 25 }],
    ['day 5 of each month', { kind: 'monthly-day', day: 5 }],
    ['ngày làm việc cuối cùng hằng tháng', { kind: 'monthly-last-working-day' }],
    ['last working day of each month', { kind: 'monthly-last-working-day' }],
    ['cuối hằng tháng', { kind: 'monthly-end' }],
  ])('reads "%s"', (text, expression) => {
    expect(parseDeadlineExpression(text)).toEqual({ ok: true, expression });
  });

  it.each(['30/02/2020', 'cuối tháng 13/2020', 'sometime soon', 'ngày 32 hằng tháng', ''])('refuses "%s" with a reason', (text) => {
    const result = parseDeadlineExpression(text);
    expect(result.ok).toBe(false);
  });
});

describe('resolveDeadline', () => {
  it('ends "end of January 2020" at 31/01/2020 23:59:59 +07:00', () => {
    expect(resolveDeadline('cuối tháng 01/2020', calendar)).toEqual({
      nominal: '2020-01-31',
      effective: '2020-01-31',
      dueAt: '2020-01-31T23:59:59+07:00',
    });
  });

  it('keeps the nominal date and moves the effective one (Civil Code art. 148(5)): 29/02/2020 → 02/03/2020', () => {
    expect(resolveDeadline('cuối tháng 02/2020', calendar)).toEqual({
      nominal: '2020-02-29',
      effective: '2020-03-02',
      dueAt: '2020-03-02T23:59:59+07:00',
    });
  });

  it('places the deadline instant exactly: 31/01/2020 16:59:59Z is inside, 17:00:00Z is past', () => {
    const { dueAt } = resolveDeadline('31/01/2020', calendar);
    expect(Date.parse(dueAt)).toBe(Date.parse('2020-01-31T16:59:59Z'));
    expect(Date.parse('2020-01-31T17:00:00Z')).toBeGreaterThan(Date.parse(dueAt));
  });

  it('handles month ends of every length', () => {
    expect(resolveDeadline('end of month 4/2020', calendar).nominal).toBe('2020-04-30');
    expect(resolveDeadline('end of month 2/2021', calendar).nominal).toBe('2021-02-28');
    expect(resolveDeadline('end of month 12/2020', calendar).nominal).toBe('2020-12-31');
    // 31/05/2020 is a Sunday.
    expect(resolveDeadline('end of month 5/2020', calendar).effective).toBe('2020-06-01');
  });

  it('counts working days after a named event, skipping Tết', () => {
    expect(resolveDeadline('5 working days after approval', calendar, { events: { approval: '2020-01-20' } })).toEqual({
      nominal: '2020-02-03',
      effective: '2020-02-03',
      dueAt: '2020-02-03T23:59:59+07:00',
    });
  });

  it('resolves monthly rhythms for a period', () => {
    expect(resolveDeadline('ngày 5 hằng tháng', calendar, { period: '2020-04' }).effective).toBe('2020-04-06');
    expect(resolveDeadline('day 31 of each month', calendar, { period: '2020-02' }).nominal).toBe('2020-02-29');
    expect(resolveDeadline('last working day of each month', calendar, { period: '2020-02' })).toMatchObject({ nominal: '2020-02-28', effective: '2020-02-28' });
    expect(resolveDeadline('cuối hằng tháng', calendar, { period: '2020-05' })).toMatchObject({ nominal: '2020-05-31', effective: '2020-06-01' });
  });

  it('says what is missing', () => {
    expect(() => resolveDeadline('5 working days after approval', calendar)).toThrow(DeadlineExpressionError);
    expect(() => resolveDeadline('ngày 5 hằng tháng', calendar)).toThrow(/report period/);
    expect(() => resolveDeadline('soon', calendar)).toThrow(/cannot read deadline expression/);
  });
});
