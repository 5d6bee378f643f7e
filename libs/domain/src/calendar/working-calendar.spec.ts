import { CalendarVietnamese } from 'date-chinese';
import { describe, expect, it } from 'vitest';
import { VN_CALENDAR_NOTICES, type CalendarNotice } from './calendar-notices';
import { dayOfWeek } from './iso-date';
import { createWorkingCalendar } from './working-calendar';

const calendar = createWorkingCalendar();

/** Giỗ Tổ computed independently of date-holidays, straight from the Vietnamese lunar calendar. */
function hungKingsDay(year: number): string {
  const lunar = new CalendarVietnamese();
  lunar.fromGregorian(year, 6, 1);
  const [cycle, lunarYear] = lunar.get();
  lunar.set(cycle, lunarYear, 3, false, 10);
  const { year: y, month, day } = lunar.toGregorian();
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

describe('working calendar: weekends and statutory holidays', () => {
  it('works Monday to Friday and rests at the weekend', () => {
    expect(calendar.isWorkingDay('2020-03-02')).toBe(true); // Monday
    expect(calendar.isWorkingDay('2020-02-29')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2020-03-01')).toBe(false); // Sunday
  });

  it('knows the solar public holidays', () => {
    expect(calendar.holidayName('2020-01-01')).toMatch(/Tết Dương lịch/);
    expect(calendar.isWorkingDay('2020-04-30')).toBe(false);
    expect(calendar.isWorkingDay('2020-05-01')).toBe(false);
    expect(calendar.isWorkingDay('2020-09-02')).toBe(false);
    expect(calendar.isWorkingDay('2020-09-03')).toBe(true); // before the 2019 Labour Code took effect
  });

  it.each([
    [2019, '2019-04-14'],
    [2020, '2020-04-02'],
    [2021, '2021-04-21'],
    [2022, '2022-04-10'],
    [2023, '2023-04-29'],
    [2024, '2024-04-18'],
    [2025, '2025-04-07'],
  ])('puts Giỗ Tổ Hùng Vương (10/3 lunar) of %i on %s, as the lunar calendar does', (year, date) => {
    expect(hungKingsDay(year)).toBe(date);
    expect(calendar.holidayName(date)).toMatch(/Giỗ Tổ Hùng Vương/);
    expect(calendar.isWorkingDay(date)).toBe(false);
  });

  it('compensates a holiday that falls at the weekend on the next working day', () => {
    // 2022: Giỗ Tổ on Sunday 10/4 → Monday 11/4; 30/4 Saturday and 1/5 Sunday → 2/5 and 3/5.
    expect(calendar.isWorkingDay('2022-04-11')).toBe(false);
    expect(calendar.holidayName('2022-05-02')).toMatch(/Nghỉ bù/);
    expect(calendar.isWorkingDay('2022-05-03')).toBe(false);
    expect(calendar.isWorkingDay('2022-05-04')).toBe(true);
    // 2023: Giỗ Tổ Saturday 29/4, 30/4 Sunday, 1/5 Monday → off until Wednesday 3/5.
    expect(['2023-05-01', '2023-05-02', '2023-05-03'].map((d) => calendar.isWorkingDay(d))).toEqual([false, false, false]);
    expect(calendar.isWorkingDay('2023-05-04')).toBe(true);
    // 1/1/2023 was a Sunday.
    expect(calendar.isWorkingDay('2023-01-02')).toBe(false);
  });
});

describe('working calendar: official notices', () => {
  it('keeps the whole 2020 Tết break, 23/01–29/01, which date-holidays shortens to 24–28', () => {
    for (const d of ['2020-01-23', '2020-01-24', '2020-01-27', '2020-01-28', '2020-01-29']) expect(calendar.isWorkingDay(d)).toBe(false);
    expect(calendar.isWorkingDay('2020-01-22')).toBe(true);
    expect(calendar.isWorkingDay('2020-01-30')).toBe(true);
    expect(calendar.holidayName('2020-01-23')).toMatch(/Tết/);
    expect(calendar.holidayName('2020-01-30')).toBeUndefined();
  });

  it('gives 2/9 its adjacent day from 2021 on, the one the notice chose', () => {
    expect(calendar.isWorkingDay('2021-09-02')).toBe(false);
    expect(calendar.isWorkingDay('2021-09-03')).toBe(false); // day after
    expect(calendar.isWorkingDay('2022-09-01')).toBe(false); // day before
    expect(calendar.isWorkingDay('2024-09-03')).toBe(false);
    expect(calendar.isWorkingDay('2025-09-01')).toBe(false);
    expect(calendar.isWorkingDay('2019-09-03')).toBe(true);
  });

  it('falls back to the day after 2/9 for a year without a notice yet', () => {
    expect(calendar.isWorkingDay('2026-09-02')).toBe(false);
    expect(calendar.isWorkingDay('2026-09-03')).toBe(false);
  });

  it('counts a make-up Saturday as a working day and the swapped weekday as a day off', () => {
    expect(dayOfWeek('2019-05-04')).toBe(6);
    expect(calendar.isWorkingDay('2019-05-04')).toBe(true);
    expect(calendar.isWorkingDay('2019-04-29')).toBe(false);
    expect(calendar.isWorkingDay('2025-04-26')).toBe(true);
    expect(calendar.isWorkingDay('2025-05-02')).toBe(false);
    expect(calendar.makeUpWorkingDaysInYear(2024)).toEqual([{ date: '2024-05-04', name: expect.stringMatching(/Làm bù/) }]);
  });

  it('takes notices as data: a calendar without them follows the statutory rules only', () => {
    const bare = createWorkingCalendar({ notices: [] });
    expect(bare.isWorkingDay('2020-01-23')).toBe(true);
    expect(bare.isWorkingDay('2020-01-29')).toBe(false); // compensation for mùng 1–2 at the weekend
    expect(bare.isWorkingDay('2019-05-04')).toBe(false);
    const extra: CalendarNotice = {
      id: 'test-swap',
      year: 2030,
      daysOff: [{ date: '2030-05-03', name: 'Nghỉ hoán đổi' }],
      workingDays: [{ date: '2030-05-11', name: 'Làm bù' }],
      source: 'test',
    };
    const extended = createWorkingCalendar({ extraNotices: [extra] });
    expect(extended.isWorkingDay('2030-05-03')).toBe(false);
    expect(extended.isWorkingDay('2030-05-11')).toBe(true);
  });

  it('cites a source for every notice', () => {
    for (const n of VN_CALENDAR_NOTICES) expect(n.source.length).toBeGreaterThan(20);
  });
});

describe('working-day arithmetic', () => {
  it('moves a weekend deadline to the next working day: 29/02/2020 → 02/03/2020', () => {
    expect(calendar.nextWorkingDayOnOrAfter('2020-02-29')).toBe('2020-03-02');
    expect(calendar.nextWorkingDayOnOrAfter('2020-03-02')).toBe('2020-03-02');
  });

  it('counts backwards over Tết 2020: 3 working days before 31/01/2020 is 21/01/2020', () => {
    expect(calendar.addWorkingDays('2020-01-31', -1)).toBe('2020-01-30');
    expect(calendar.addWorkingDays('2020-01-31', -2)).toBe('2020-01-22');
    expect(calendar.addWorkingDays('2020-01-31', -3)).toBe('2020-01-21');
  });

  it('counts forwards over holidays and treats 0 as the same day', () => {
    expect(calendar.addWorkingDays('2020-01-22', 1)).toBe('2020-01-30');
    expect(calendar.addWorkingDays('2020-02-28', 1)).toBe('2020-03-02');
    expect(calendar.addWorkingDays('2020-02-29', 0)).toBe('2020-02-29');
    expect(() => calendar.addWorkingDays('2020-02-28', 1.5)).toThrow(RangeError);
  });

  it('finds the last working day of a month', () => {
    expect(calendar.lastWorkingDayOfMonth(2020, 2)).toBe('2020-02-28');
    expect(calendar.lastWorkingDayOfMonth(2020, 5)).toBe('2020-05-29');
    expect(calendar.previousWorkingDayOnOrBefore('2020-01-29')).toBe('2020-01-22');
  });

  it('rejects dates that do not exist', () => {
    expect(() => calendar.isWorkingDay('2021-02-29')).toThrow(RangeError);
    expect(() => calendar.nextWorkingDayOnOrAfter('31/01/2020')).toThrow(RangeError);
  });
});
