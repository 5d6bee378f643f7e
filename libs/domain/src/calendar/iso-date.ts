/**
 * Calendar-date arithmetic on ISO `yyyy-mm-dd` strings.
 *
 * Dates here are civil dates, not instants: a deadline "31/01/2020" is a day on the
 * office wall calendar. Counting them in UTC epoch days keeps the arithmetic free of
 * time-zone and DST surprises, whatever zone the process runs in.
 */

/** A civil date, `yyyy-mm-dd`. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/**
 * Whether `value` is a real calendar date written `yyyy-mm-dd`: 2020-02-29 yes, 2020-02-31,
 * 2020-13-01, 2020-1-5 and 2020-01-05T00:00 no. The one strict date check used by the API,
 * the web forms and plan files. Years before 1000 are refused as typos (0202 for 2020): no
 * document here is that old, and JavaScript's Date reads years 0–99 as 1900–1999.
 */
export function isIsoDate(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1000 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function assertIsoDate(value: string): IsoDate {
  if (!isIsoDate(value)) throw new RangeError(`not a calendar date (yyyy-mm-dd): "${value}"`);
  return value;
}

export function isoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function splitIsoDate(value: IsoDate): { year: number; month: number; day: number } {
  assertIsoDate(value);
  return { year: Number(value.slice(0, 4)), month: Number(value.slice(5, 7)), day: Number(value.slice(8, 10)) };
}

export function toEpochDay(value: IsoDate): number {
  const { year, month, day } = splitIsoDate(value);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function fromEpochDay(epochDay: number): IsoDate {
  const d = new Date(epochDay * MS_PER_DAY);
  return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function addDays(value: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(value) + days);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(value: IsoDate): number {
  return new Date(toEpochDay(value) * MS_PER_DAY).getUTCDay();
}

export function isWeekend(value: IsoDate): boolean {
  const dow = dayOfWeek(value);
  return dow === 0 || dow === 6;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function lastDayOfMonth(year: number, month: number): IsoDate {
  return isoDate(year, month, daysInMonth(year, month));
}

/** A report period / month, `yyyy-mm`. */
export type YearMonth = string;

const YEAR_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isYearMonth(value: string): boolean {
  return YEAR_MONTH.test(value);
}

export function splitYearMonth(value: YearMonth): { year: number; month: number } {
  if (!isYearMonth(value)) throw new RangeError(`not a month (yyyy-mm): "${value}"`);
  return { year: Number(value.slice(0, 4)), month: Number(value.slice(5, 7)) };
}

export function addMonths(value: YearMonth, months: number): YearMonth {
  const { year, month } = splitYearMonth(value);
  const index = year * 12 + (month - 1) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** dd/mm/yyyy, the way Vietnamese documents and screens write dates. */
export function formatVietnameseDate(value: IsoDate): string {
  const { year, month, day } = splitIsoDate(value);
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
}
