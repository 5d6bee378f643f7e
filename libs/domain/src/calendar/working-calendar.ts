import Holidays from 'date-holidays';
import {
  HOLIDAY_GROUP_NAMES,
  VN_CALENDAR_NOTICES,
  VN_HOLIDAY_RULES,
  type CalendarNotice,
  type HolidayGroup,
} from './calendar-notices';
import { addDays, assertIsoDate, daysInMonth, isoDate, isWeekend, splitIsoDate, type IsoDate } from './iso-date';

/** The working-day calendar of Vietnamese public offices (Monday–Friday, minus holidays). */
export interface WorkingCalendar {
  isWorkingDay(date: IsoDate): boolean;
  /** `date` itself if it is a working day, else the next one (Civil Code 2015 art. 148(5)). */
  nextWorkingDayOnOrAfter(date: IsoDate): IsoDate;
  previousWorkingDayOnOrBefore(date: IsoDate): IsoDate;
  /**
   * Counts `n` working days from `date`, not counting `date` itself; negative `n` counts
   * backwards. `n = 0` returns `date` unchanged.
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate;
  /** The name of the holiday or day off on `date`, if it is one (weekends have none). */
  holidayName(date: IsoDate): string | undefined;
  lastWorkingDayOfMonth(year: number, month: number): IsoDate;
  /** Every day off other than plain weekends in `year`, sorted, for screens and audits. */
  daysOffInYear(year: number): { date: IsoDate; name: string }[];
  /** Make-up working days (làm bù) in `year`. */
  makeUpWorkingDaysInYear(year: number): { date: IsoDate; name: string }[];
}

export interface WorkingCalendarOptions {
  /** Official notices; defaults to `VN_CALENDAR_NOTICES`. */
  notices?: readonly CalendarNotice[];
  /** Notices appended to the defaults (e.g. next year's, before a release ships them). */
  extraNotices?: readonly CalendarNotice[];
}

interface YearTable {
  off: Map<IsoDate, string>;
  working: Map<IsoDate, string>;
}

const DATE_HOLIDAYS_RULE_GROUPS: Record<string, HolidayGroup> = {
  '01-01': 'new-year',
  'vietnamese 1-0-1': 'tet',
  '1 day before vietnamese 1-0-1 P5D': 'tet',
  'vietnamese 3-0-10': 'hung-kings',
  '04-30': 'reunification',
  '05-01': 'labour',
  '09-02': 'national-day',
};

// A year's worth of holidays is looked up once per deadline; guard loops against bad data.
const MAX_SEARCH_DAYS = 366;

/**
 * Builds the calendar: statutory public holidays from `date-holidays` (which computes the
 * lunar ones — Tết, Giỗ Tổ 10/3 — on the Vietnamese lunar calendar via `date-chinese`),
 * the Labour Code's weekend compensation and the 2/9 second day, then the official
 * notices, which win for the holiday group they settle.
 */
export function createWorkingCalendar(options: WorkingCalendarOptions = {}): WorkingCalendar {
  const notices = [...(options.notices ?? VN_CALENDAR_NOTICES), ...(options.extraNotices ?? [])];
  const holidays = new Holidays('VN', { languages: ['vi'], timezone: 'Asia/Ho_Chi_Minh', types: ['public'] });
  const years = new Map<number, YearTable>();

  function statutoryDays(year: number): Map<HolidayGroup | string, { date: IsoDate; name: string }[]> {
    const groups = new Map<HolidayGroup | string, { date: IsoDate; name: string }[]>();
    for (const h of holidays.getHolidays(year, 'vi')) {
      if (h.type !== 'public') continue;
      const group = DATE_HOLIDAYS_RULE_GROUPS[h.rule] ?? h.rule;
      const name = group in HOLIDAY_GROUP_NAMES ? HOLIDAY_GROUP_NAMES[group as HolidayGroup] : h.name;
      const first = assertIsoDate(h.date.slice(0, 10));
      const length = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / 86_400_000));
      const days = groups.get(group) ?? [];
      for (let i = 0; i < length; i++) days.push({ date: addDays(first, i), name });
      groups.set(group, days);
    }
    const nationalDay = VN_HOLIDAY_RULES.nationalDaySecondDay;
    if (year >= nationalDay.fromYear) {
      const days = groups.get('national-day') ?? [];
      const second = isoDate(year, 9, nationalDay.defaultSide === 'after' ? 3 : 1);
      days.push({ date: second, name: `${HOLIDAY_GROUP_NAMES['national-day']} (ngày liền kề)` });
      groups.set('national-day', days);
    }
    return groups;
  }

  function table(year: number): YearTable {
    const cached = years.get(year);
    if (cached) return cached;
    const yearNotices = notices.filter((n) => n.year === year);
    const settled = new Set(yearNotices.map((n) => n.replaces).filter((g): g is HolidayGroup => g !== undefined));
    const off = new Map<IsoDate, string>();
    const working = new Map<IsoDate, string>();
    const generated = [...statutoryDays(year).entries()].filter(([group]) => !settled.has(group as HolidayGroup));
    for (const [, days] of generated) for (const d of days) if (!off.has(d.date)) off.set(d.date, d.name);
    for (const n of yearNotices) {
      for (const d of n.daysOff) off.set(d.date, d.name);
      for (const d of n.workingDays ?? []) working.set(d.date, d.name);
    }
    // Compensation comes after every statutory day is known, so a day in lieu never
    // lands on another holiday (2023: Giỗ Tổ on Saturday, 30/4 on Sunday, 1/5 on Monday).
    const weekendHolidays = generated
      .flatMap(([, days]) => days.filter((d) => isWeekend(d.date)).map((d) => ({ ...d, last: days[days.length - 1].date })))
      .sort((a, b) => a.date.localeCompare(b.date));
    for (const h of weekendHolidays) {
      let candidate = addDays(h.last > h.date ? h.last : h.date, 1);
      for (let i = 0; i < MAX_SEARCH_DAYS && (isWeekend(candidate) || off.has(candidate)); i++) candidate = addDays(candidate, 1);
      off.set(candidate, `Nghỉ bù ${h.name}`);
    }
    const result = { off, working };
    years.set(year, result);
    return result;
  }

  function isWorkingDay(date: IsoDate): boolean {
    const { year } = splitIsoDate(date);
    const t = table(year);
    if (t.working.has(date)) return true;
    return !isWeekend(date) && !t.off.has(date);
  }

  function step(date: IsoDate, direction: 1 | -1, includeSelf: boolean): IsoDate {
    let d = includeSelf ? date : addDays(date, direction);
    for (let i = 0; i < MAX_SEARCH_DAYS; i++) {
      if (isWorkingDay(d)) return d;
      d = addDays(d, direction);
    }
    throw new RangeError(`no working day within ${MAX_SEARCH_DAYS} days of ${date}`);
  }

  return {
    isWorkingDay,
    nextWorkingDayOnOrAfter: (date) => step(assertIsoDate(date), 1, true),
    previousWorkingDayOnOrBefore: (date) => step(assertIsoDate(date), -1, true),
    addWorkingDays(date, n) {
      if (!Number.isInteger(n)) throw new RangeError(`working days must be a whole number, got ${n}`);
      let d = assertIsoDate(date);
      const direction = n < 0 ? -1 : 1;
      for (let i = 0; i < Math.abs(n); i++) d = step(d, direction, false);
      return d;
    },
    holidayName(date) {
      const { year } = splitIsoDate(date);
      const t = table(year);
      return t.working.has(date) ? undefined : t.off.get(date);
    },
    lastWorkingDayOfMonth(year, month) {
      return step(isoDate(year, month, daysInMonth(year, month)), -1, true);
    },
    daysOffInYear(year) {
      return [...table(year).off.entries()].map(([date, name]) => ({ date, name })).sort((a, b) => a.date.localeCompare(b.date));
    },
    makeUpWorkingDaysInYear(year) {
      return [...table(year).working.entries()].map(([date, name]) => ({ date, name })).sort((a, b) => a.date.localeCompare(b.date));
    },
  };
}

