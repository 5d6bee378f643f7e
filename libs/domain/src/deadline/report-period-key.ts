import { addDays, dayOfWeek, isIsoDate, isoDate, lastDayOfMonth, splitIsoDate, toEpochDay, type IsoDate } from '../calendar/iso-date';

/**
 * Report periods (kỳ báo cáo) of every length a plan writes, and their keys. A key is what
 * workflow ids, the read model and the API carry: `2020-03` (month), `2021-Q1` (quarter),
 * `2021-H2` (half-year), `2021` (year), `2021-W05` (ISO week). Keys of one length sort in
 * time order as strings, which the matrix's "latest period" relies on.
 */
export const PERIOD_UNITS = ['week', 'month', 'quarter', 'half-year', 'year'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

export interface ReportPeriodKey {
  unit: PeriodUnit;
  year: number;
  /** 1-based: week 1–53, month 1–12, quarter 1–4, half 1–2, year 1. */
  index: number;
}

const KEY_SHAPES: { unit: PeriodUnit; re: RegExp }[] = [
  { unit: 'month', re: /^(\d{4})-(0[1-9]|1[0-2])$/ },
  { unit: 'quarter', re: /^(\d{4})-Q([1-4])$/ },
  { unit: 'half-year', re: /^(\d{4})-H([12])$/ },
  { unit: 'year', re: /^(\d{4})$/ },
  { unit: 'week', re: /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/ },
];

/** How each unit's key is written, for error messages. */
export const PERIOD_KEY_EXAMPLES: Readonly<Record<PeriodUnit, string>> = {
  week: '2021-W05',
  month: '2021-03',
  quarter: '2021-Q1',
  'half-year': '2021-H1',
  year: '2021',
};

/** Reads a period key of any unit; undefined when it is not one (or a week a year does not have). */
export function parsePeriodKey(key: string): ReportPeriodKey | undefined {
  for (const { unit, re } of KEY_SHAPES) {
    const m = re.exec(key);
    if (!m) continue;
    const year = Number(m[1]);
    if (year < 1000) return undefined;
    const index = unit === 'year' ? 1 : Number(m[2]);
    if (unit === 'week' && index > isoWeeksInYear(year)) return undefined;
    return { unit, year, index };
  }
  return undefined;
}

export function formatPeriodKey(p: ReportPeriodKey): string {
  const y = String(p.year).padStart(4, '0');
  switch (p.unit) {
    case 'month':
      return `${y}-${String(p.index).padStart(2, '0')}`;
    case 'quarter':
      return `${y}-Q${p.index}`;
    case 'half-year':
      return `${y}-H${p.index}`;
    case 'year':
      return y;
    case 'week':
      return `${y}-W${String(p.index).padStart(2, '0')}`;
  }
}

/** Periods of the unit in one year (weeks: ISO weeks of that ISO year). */
export function periodsInYear(unit: PeriodUnit, year: number): number {
  return { month: 12, quarter: 4, 'half-year': 2, year: 1, week: isoWeeksInYear(year) }[unit];
}

const MONTHS_PER: Record<Exclude<PeriodUnit, 'week'>, number> = { month: 1, quarter: 3, 'half-year': 6, year: 12 };

/** Monday of ISO week 1: the week holding 4 January. */
function isoWeekOneMonday(year: number): IsoDate {
  const jan4 = isoDate(year, 1, 4);
  return addDays(jan4, -((dayOfWeek(jan4) + 6) % 7));
}

function isoWeeksInYear(year: number): number {
  return (toEpochDay(isoWeekOneMonday(year + 1)) - toEpochDay(isoWeekOneMonday(year))) / 7;
}

/** First day of the period. */
export function periodStart(p: ReportPeriodKey): IsoDate {
  if (p.unit === 'week') return addDays(isoWeekOneMonday(p.year), 7 * (p.index - 1));
  return isoDate(p.year, (p.index - 1) * MONTHS_PER[p.unit] + 1, 1);
}

/** Last day of the period. */
export function periodEnd(p: ReportPeriodKey): IsoDate {
  if (p.unit === 'week') return addDays(periodStart(p), 6);
  const { year, month } = lastMonthOf(p);
  return lastDayOfMonth(year, month);
}

/** The period's last month (for a week: the month its Sunday is in). */
export function lastMonthOf(p: ReportPeriodKey): { year: number; month: number } {
  if (p.unit === 'week') {
    const { year, month } = splitIsoDate(periodEnd(p));
    return { year, month };
  }
  return { year: p.year, month: p.index * MONTHS_PER[p.unit] };
}

export function nextPeriod(p: ReportPeriodKey): ReportPeriodKey {
  return p.index < periodsInYear(p.unit, p.year) ? { ...p, index: p.index + 1 } : { unit: p.unit, year: p.year + 1, index: 1 };
}

export function previousPeriod(p: ReportPeriodKey): ReportPeriodKey {
  return p.index > 1 ? { ...p, index: p.index - 1 } : { unit: p.unit, year: p.year - 1, index: periodsInYear(p.unit, p.year - 1) };
}

/** The key `steps` periods after (or, negative, before) `key`, same unit. */
export function shiftPeriodKey(key: string, steps: number): string {
  let p = parsePeriodKey(key);
  if (!p) throw new RangeError(`not a report period: "${key}"`);
  for (let i = 0; i < Math.abs(steps); i++) p = steps > 0 ? nextPeriod(p) : previousPeriod(p);
  return formatPeriodKey(p);
}

/** The period of `unit` that holds `date`. */
export function periodContaining(unit: PeriodUnit, date: IsoDate): ReportPeriodKey {
  if (!isIsoDate(date)) throw new RangeError(`not a calendar date (yyyy-mm-dd): "${date}"`);
  const { year, month } = splitIsoDate(date);
  if (unit !== 'week') return { unit, year, index: Math.floor((month - 1) / MONTHS_PER[unit]) + 1 };
  for (const y of [year + 1, year, year - 1]) {
    const monday = isoWeekOneMonday(y);
    if (date >= monday) return { unit, year: y, index: Math.floor((toEpochDay(date) - toEpochDay(monday)) / 7) + 1 };
  }
  throw new RangeError(`no ISO week holds ${date}`);
}

/** <0, 0, >0 as `a` is before, the same as, or after `b` (same unit). */
export function comparePeriods(a: ReportPeriodKey, b: ReportPeriodKey): number {
  return a.year !== b.year ? a.year - b.year : a.index - b.index;
}

const ROMAN = ['I', 'II', 'III', 'IV'];
const MONTH_NAMES_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * The period as Vietnamese documents name it ("tháng 03/2020", "quý I/2021", "6 tháng đầu năm
 * 2021", "năm 2021", "tuần 05/2021"), or in English. Keys that are not periods come back as
 * they are, so an odd id never breaks a page.
 */
export function periodLabel(key: string, lang: 'vi' | 'en' = 'vi'): string {
  const p = parsePeriodKey(key);
  if (!p) return key;
  const nn = String(p.index).padStart(2, '0');
  switch (p.unit) {
    case 'month':
      return lang === 'vi' ? `tháng ${nn}/${p.year}` : `${MONTH_NAMES_EN[p.index - 1]} ${p.year}`;
    case 'quarter':
      return lang === 'vi' ? `quý ${ROMAN[p.index - 1]}/${p.year}` : `Q${p.index} ${p.year}`;
    case 'half-year':
      return lang === 'vi' ? `6 tháng ${p.index === 1 ? 'đầu' : 'cuối'} năm ${p.year}` : `${p.index === 1 ? 'first' : 'second'} half of ${p.year}`;
    case 'year':
      return lang === 'vi' ? `năm ${p.year}` : `year ${p.year}`;
    case 'week':
      return lang === 'vi' ? `tuần ${nn}/${p.year}` : `week ${nn} of ${p.year}`;
  }
}

/**
 * The name of a period's report, the one used in every list, notice and export:
 * "Báo cáo tháng 03/2020", "Báo cáo quý I/2021" (en: "Report for Q1 2021").
 */
export function periodReportName(key: string, lang: 'vi' | 'en' = 'vi'): string {
  return lang === 'vi' ? `Báo cáo ${periodLabel(key, 'vi')}` : `Report for ${periodLabel(key, 'en')}`;
}

/** The period key at the end of an assignment id `<duty id>:<period>`, when there is one. */
export function periodKeyOfAssignmentId(id: string): string | undefined {
  const key = id.slice(id.lastIndexOf(':') + 1);
  return parsePeriodKey(key) ? key : undefined;
}
