import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../calendar/working-calendar';
import { EscalationPolicySchema } from '../escalation/escalation-policy.schema';
import { followingPeriodKey, lastReportPeriod, openReportPeriod, reportPeriod, type ReportDuty } from '../plan/report-period';
import { parsePlanHorizon } from '../plan/plan-horizon';
import { parseReportRhythm, type ReportRhythm } from './deadline-expression';
import { periodLabel, periodReportName } from './report-period-key';

const calendar = createWorkingCalendar();
const policy = EscalationPolicySchema.parse({ reminders: [{ beforeWorkingDays: 2 }], ladder: [{ afterWorkingDays: 0, notify: ['lead-unit-head'] }] });

function rhythm(text: string): ReportRhythm {
  const parsed = parseReportRhythm(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.rhythm;
}
/** [nominal, effective] of the report due for each period. */
const due = (text: string, periods: string[]) =>
  periods.map((p) => {
    const { deadline } = reportPeriod(rhythm(text), p, policy, calendar);
    return [deadline.nominal, deadline.effective];
  });

describe('report rhythms as plan writers write them', () => {
  it('quarterly, due day 20 of the month after each quarter (2023: Q4 falls on a Saturday)', () => {
    expect(due('hằng quý, trước ngày 20 của tháng đầu quý sau', ['2023-Q1', '2023-Q2', '2023-Q3', '2023-Q4'])).toEqual([
      ['2023-04-20', '2023-04-20'],
      ['2023-07-20', '2023-07-20'],
      ['2023-10-20', '2023-10-20'],
      ['2024-01-20', '2024-01-22'],
    ]);
    // The deadline phrase alone says the period is a quarter; so does the English.
    expect(rhythm('trước ngày 20 của tháng đầu quý sau')).toEqual(rhythm('hằng quý, trước ngày 20 của tháng đầu quý sau'));
    expect(rhythm('quarterly, day 20 of the month after the quarter')).toEqual(rhythm('hằng quý, trước ngày 20 của tháng đầu quý sau'));
  });

  it('half-yearly at the end of each half (2023-H2 ends on a Sunday before New Year) or on two written dates', () => {
    expect(due('định kỳ 6 tháng', ['2023-H1', '2023-H2'])).toEqual([
      ['2023-06-30', '2023-06-30'],
      ['2023-12-31', '2024-01-02'],
    ]);
    expect(due('định kỳ 6 tháng, trước ngày 15/6 và 15/12', ['2024-H1', '2024-H2'])).toEqual([
      ['2024-06-15', '2024-06-17'],
      ['2024-12-15', '2024-12-16'],
    ]);
  });

  it('yearly on a day of the year', () => {
    expect(due('báo cáo năm trước ngày 15/12', ['2022', '2023'])).toEqual([
      ['2022-12-15', '2022-12-15'],
      ['2023-12-15', '2023-12-15'],
    ]);
    expect(due('hằng năm', ['2022'])).toEqual([['2022-12-31', '2023-01-03']]);
  });

  it('the last working day of the period, and the end of the month after it', () => {
    expect(due('ngày làm việc cuối cùng hằng quý', ['2022-Q1', '2024-Q2'])).toEqual([
      ['2022-03-31', '2022-03-31'],
      ['2024-06-28', '2024-06-28'],
    ]);
    expect(due('hằng quý, cuối tháng đầu quý sau', ['2022-Q2'])).toEqual([['2022-07-31', '2022-08-01']]);
  });

  it('monthly due in the month after, past Tết Quý Mão (off 20–26/01/2023)', () => {
    expect(due('trước ngày 20 tháng sau', ['2022-12'])).toEqual([['2023-01-20', '2023-01-27']]);
    // The first format's monthly forms read as before.
    expect(rhythm('cuối hằng tháng')).toEqual({ kind: 'monthly-end' });
    expect(rhythm('ngày 25 hằng tháng')).toEqual({ kind: 'monthly-day', day: 25 });
    expect(due('hằng tháng', ['2022-07'])).toEqual([['2022-07-31', '2022-08-01']]);
  });

  it('weekly on a weekday of the ISO week', () => {
    expect(due('thứ Sáu hằng tuần', ['2021-W01'])).toEqual([['2021-01-08', '2021-01-08']]);
    expect(followingPeriodKey('2026-W52')).toBe('2026-W53');
    expect(followingPeriodKey('2026-W53')).toBe('2027-W01');
    expect(followingPeriodKey('2021-Q4')).toBe('2022-Q1');
  });

  it('reads every form docs/plan-format.md lists', () => {
    const forms: [string, string, string][] = [
      ['hằng tháng', '2022-07', '2022-07-31'],
      ['trước ngày 20 tháng sau', '2022-07', '2022-08-20'],
      ['hằng quý', '2022-Q3', '2022-09-30'],
      ['cuối hằng quý', '2022-Q3', '2022-09-30'],
      ['quarterly', '2022-Q3', '2022-09-30'],
      ['hằng quý, ngày 25 của tháng cuối quý', '2022-Q3', '2022-09-25'],
      ['hằng quý, ngày làm việc cuối cùng của tháng đầu quý sau', '2022-Q3', '2022-10-31'],
      ['6 tháng một lần', '2022-H1', '2022-06-30'],
      ['half-yearly', '2022-H2', '2022-12-31'],
      ['yearly', '2022', '2022-12-31'],
      ['thứ Hai tuần sau, hằng tuần', '2021-W01', '2021-01-11'],
    ];
    for (const [text, period, nominal] of forms) expect([text, due(text, [period])[0][0]]).toEqual([text, nominal]);
  });

  it('refuses what it does not understand, in Vietnamese and English', () => {
    for (const text of ['thỉnh thoảng', 'hằng quý, ngày 20', 'hằng tháng, trước ngày 20 của tháng đầu quý sau', 'định kỳ 6 tháng, trước ngày 15/6', 'hằng quý ngày 35 của tháng đầu quý sau', 'cuối tháng 01/2020']) {
      const parsed = parseReportRhythm(text);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.message, text).toMatch(/ \/ /);
    }
  });
});

describe('a periodic duty ends', () => {
  const quarterly: ReportDuty = { rhythm: rhythm('hằng quý, trước ngày 20 của tháng đầu quý sau'), policy, firstPeriod: '2023-Q1', lastPeriod: '2023-Q3' };

  it('opens its periods in order and marks the last', () => {
    const opened = [openReportPeriod(quarterly, undefined, calendar)];
    while (!opened.at(-1)!.last) opened.push(openReportPeriod(quarterly, opened.at(-1)!.period, calendar));
    expect(opened.map((p) => [p.period, p.deadline.effective, p.last ?? false])).toEqual([
      ['2023-Q1', '2023-04-20', false],
      ['2023-Q2', '2023-07-20', false],
      ['2023-Q3', '2023-10-20', true],
    ]);
  });

  it('ends with the period holding its end date, or the plan horizon', () => {
    expect(lastReportPeriod('quarter', { until: '2024-05-15' })).toBe('2024-Q2');
    expect(lastReportPeriod('month', { horizonEnd: '2021-12-31' })).toBe('2021-12');
    expect(lastReportPeriod('month', { lastPeriod: '2021-06', horizonEnd: '2021-12-31' })).toBe('2021-06');
    expect(lastReportPeriod('year', {})).toBeUndefined();
    const term = parsePlanHorizon('nhiệm kỳ 2020–2025');
    expect(term).toEqual({ ok: true, horizon: { from: '2020-01-01', to: '2025-12-31' } });
    expect(parsePlanHorizon('năm 2021')).toEqual({ ok: true, horizon: { from: '2021-01-01', to: '2021-12-31' } });
    expect(parsePlanHorizon('đến ngày 30/06/2022')).toEqual({ ok: true, horizon: { to: '2022-06-30' } });
    expect(parsePlanHorizon('lâu dài').ok).toBe(false);
  });
});

describe('a period names its report', () => {
  it('in Vietnamese and English', () => {
    expect(periodReportName('2020-03')).toBe('Báo cáo tháng 03/2020');
    expect(periodReportName('2021-Q1')).toBe('Báo cáo quý I/2021');
    expect(periodReportName('2021-Q4')).toBe('Báo cáo quý IV/2021');
    expect(periodReportName('2021-H2')).toBe('Báo cáo 6 tháng cuối năm 2021');
    expect(periodReportName('2021')).toBe('Báo cáo năm 2021');
    expect(periodReportName('2021-W05')).toBe('Báo cáo tuần 05/2021');
    expect(periodReportName('2021-Q1', 'en')).toBe('Report for Q1 2021');
    expect(periodLabel('2020-03', 'en')).toBe('March 2020');
  });
});
