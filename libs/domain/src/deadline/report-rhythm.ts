import { addDays, daysInMonth, isoDate, lastDayOfMonth, type IsoDate } from '../calendar/iso-date';
import type { WorkingCalendar } from '../calendar/working-calendar';
import {
  PERIOD_KEY_EXAMPLES,
  lastMonthOf,
  parsePeriodKey,
  periodEnd,
  periodStart,
  periodsInYear,
  type PeriodUnit,
  type ReportPeriodKey,
} from './report-period-key';

/** When, relative to its period, a periodic report falls due. */
export type PeriodDue =
  /** cuối kỳ: the period's last day ("cuối hằng quý"). */
  | { kind: 'end-of-period' }
  /** ngày làm việc cuối cùng của kỳ. */
  | { kind: 'last-working-day-of-period' }
  /** ngày N (của tháng cuối kỳ): "ngày 25 của tháng cuối quý". */
  | { kind: 'day-of-last-month'; day: number }
  /** ngày N của tháng sau kỳ: "trước ngày 20 của tháng đầu quý sau". */
  | { kind: 'day-of-month-after'; day: number }
  /** ngày làm việc cuối cùng của tháng sau kỳ. */
  | { kind: 'last-working-day-of-month-after' }
  /** cuối tháng sau kỳ. */
  | { kind: 'end-of-month-after' }
  /** One day and month per period of the year, in order: "trước ngày 15/6 và 15/12". */
  | { kind: 'dates-in-year'; dates: { day: number; month: number }[] }
  /** A weekday of the period's week (1 = Monday … 7 = Sunday), or of the week after. */
  | { kind: 'weekday'; weekday: number; weekAfter: boolean };

/** A report due once every period of `every`, on `due`. */
export interface PeriodicRhythm {
  kind: 'periodic';
  every: PeriodUnit;
  due: PeriodDue;
}

export type RhythmParseResult = { ok: true; rhythm: PeriodicRhythm } | { ok: false; message: string };

const FREQUENCIES: { unit: PeriodUnit; re: RegExp }[] = [
  { unit: 'half-year', re: /(?:định kỳ|hằng|mỗi|báo cáo) (?:6|sáu) tháng(?: (?:một|1) lần)?|(?:6|sáu) tháng (?:một|1) lần|(?:hằng |mỗi )?nửa năm|half-yearly|semi-annual(?:ly)?|every 6 months|each half-year/ },
  { unit: 'quarter', re: /(?:định kỳ )?(?:hằng|mỗi|theo) quý|định kỳ quý|(?:định kỳ|báo cáo) (?:3|ba) tháng(?: (?:một|1) lần)?|(?:3|ba) tháng (?:một|1) lần|báo cáo quý|quarterly|each quarter|every quarter/ },
  { unit: 'year', re: /(?:định kỳ )?(?:hằng|mỗi) năm|định kỳ năm|báo cáo năm|yearly|annually|annual|each year|every year/ },
  { unit: 'week', re: /(?:định kỳ )?(?:hằng|mỗi) tuần|weekly|each week|every week/ },
  { unit: 'month', re: /(?:định kỳ )?(?:hằng|mỗi) tháng|monthly|each month|every month/ },
];

const UNIT_WORDS_VI: Record<string, PeriodUnit> = { tuần: 'week', tháng: 'month', quý: 'quarter', năm: 'year' };
const UNIT_NAMES: Record<PeriodUnit, { vi: string; en: string }> = {
  week: { vi: 'hằng tuần', en: 'weekly' },
  month: { vi: 'hằng tháng', en: 'monthly' },
  quarter: { vi: 'hằng quý', en: 'quarterly' },
  'half-year': { vi: 'định kỳ 6 tháng', en: 'half-yearly' },
  year: { vi: 'hằng năm', en: 'yearly' },
};
/** "hằng quý" / "quarterly": how often a unit's reports fall due. */
export function periodUnitName(unit: PeriodUnit, lang: 'vi' | 'en' = 'vi'): string {
  return UNIT_NAMES[unit][lang];
}

const WEEKDAYS: Record<string, number> = {
  'thứ hai': 1, 'thứ 2': 1, monday: 1,
  'thứ ba': 2, 'thứ 3': 2, tuesday: 2,
  'thứ tư': 3, 'thứ 4': 3, wednesday: 3,
  'thứ năm': 4, 'thứ 5': 4, thursday: 4,
  'thứ sáu': 5, 'thứ 6': 5, friday: 5,
  'thứ bảy': 6, 'thứ 7': 6, saturday: 6,
  'chủ nhật': 7, sunday: 7,
};

export const RHYTHM_EXAMPLES =
  '"hằng tháng", "ngày 25 hằng tháng", "hằng quý, trước ngày 20 của tháng đầu quý sau", "định kỳ 6 tháng, trước ngày 15/6 và 15/12", "báo cáo năm trước ngày 15/12", "ngày làm việc cuối cùng hằng quý", "thứ Sáu hằng tuần"';

const fail = (vi: string, en: string): RhythmParseResult => ({ ok: false, message: `${vi} / ${en}` });

/**
 * Reads a report rhythm as plan writers write it, in Vietnamese (or English): how often
 * ("hằng quý", "định kỳ 6 tháng", "báo cáo năm") and when in or after the period the report
 * is due ("trước ngày 20 của tháng đầu quý sau"). "trước ngày N" reads as due on day N, as
 * offices read it. Anything not understood is refused with a message in both languages.
 */
export function parsePeriodicRhythm(text: string): RhythmParseResult {
  let rest = ` ${text.normalize('NFC').toLocaleLowerCase('vi').replace(/hàng/g, 'hằng').replace(/[–—]/g, '-').replace(/[,;.]/g, ' ').replace(/\s+/g, ' ').trim()} `;
  let every: PeriodUnit | undefined;
  for (const { unit, re } of FREQUENCIES) {
    const m = new RegExp(` (?:${re.source}) `).exec(rest);
    if (!m) continue;
    every = unit;
    rest = `${rest.slice(0, m.index)} ${rest.slice(m.index + m[0].length)} `;
    break;
  }
  const due = rest
    .replace(/ (?:báo cáo|định kỳ|gửi|nộp|chậm nhất(?: là)?|trước|vào|hạn|by|before|due|on|no later than|the) /g, ' ')
    .replace(/ (?:báo cáo|định kỳ|gửi|nộp|chậm nhất(?: là)?|trước|vào|hạn|by|before|due|on|no later than|the) /g, ' ')
    .trim();

  // "…tháng đầu quý sau" names the unit itself; it must agree with "hằng …" when both are written.
  // A bare "tháng sau" is the month after any period (a monthly rhythm when nothing else is said).
  const after = / tháng (?:đầu )?(?:(tuần|tháng|quý|năm|kỳ) )?(?:sau|tiếp theo|kế tiếp)(?: kỳ báo cáo)?$/.exec(` ${due}`);
  const word = after?.[1];
  const hinted = after === null ? undefined : word === undefined ? undefined : word === 'kỳ' ? undefined : UNIT_WORDS_VI[word];
  if (hinted !== undefined && every !== undefined && every !== hinted) {
    return fail(`"${text}": nhịp ${UNIT_NAMES[every].vi} nhưng hạn nộp tính theo ${word} sau`, `"${text}": a ${UNIT_NAMES[every].en} rhythm with a deadline counted from the next ${word}`);
  }
  every ??= hinted ?? (after !== null && word === undefined ? 'month' : undefined);
  if (every === undefined) {
    return fail(
      `không đọc được nhịp báo cáo "${text}": chưa rõ bao lâu báo cáo một lần; viết ví dụ ${RHYTHM_EXAMPLES}`,
      `cannot read report rhythm "${text}": how often is not said; write e.g. "monthly", "quarterly, day 20 of the month after the quarter", "half-yearly", "yearly"`,
    );
  }
  const parsed = parseDue(due, every, !!after);
  if (typeof parsed === 'string') {
    return fail(
      `không đọc được hạn nộp "${due}" trong nhịp báo cáo "${text}"${parsed ? `: ${parsed}` : ''}; viết ví dụ ${RHYTHM_EXAMPLES}`,
      `cannot read when the report is due ("${due}") in rhythm "${text}"; see docs/plan-format.md §Report rhythms`,
    );
  }
  return { ok: true, rhythm: { kind: 'periodic', every, due: parsed } };
}

/** The due clause, once the frequency is known; a string (maybe empty) says why not. */
function parseDue(due: string, every: PeriodUnit, countsFromNextPeriod: boolean): PeriodDue | string {
  if (due === '' || /^(?:cuối|cuối kỳ|end of|at end of|end of period|end of each)$/.test(due)) return { kind: 'end-of-period' };
  if (/^(?:ngày làm việc cuối cùng|last working day(?: of)?)(?: (?:của )?(?:kỳ|tuần|tháng cuối (?:kỳ|quý|năm)))?$/.test(due)) return { kind: 'last-working-day-of-period' };
  let m = /^(?:ngày|day) (\d{1,2})(?: of)?(?: (?:của )?tháng cuối (?:kỳ|quý|năm))?$/.exec(due);
  if (m) {
    if (every === 'week') return 'một báo cáo hằng tuần hạn theo thứ trong tuần, ví dụ "thứ Sáu hằng tuần"';
    if (every !== 'month' && !/tháng cuối/.test(due)) return `"ngày ${m[1]}" chưa rõ tháng nào: viết "ngày ${m[1]} của tháng cuối kỳ" hoặc "ngày ${m[1]} của tháng đầu kỳ sau"`;
    return dayOf(Number(m[1]), 'day-of-last-month');
  }
  if (countsFromNextPeriod) {
    if (every === 'week') return 'báo cáo hằng tuần không tính hạn theo tháng sau';
    m = /^(?:ngày )?(\d{1,2})(?: của)? tháng /.exec(due);
    if (m) return dayOf(Number(m[1]), 'day-of-month-after');
    if (/^ngày làm việc cuối cùng(?: của)? tháng /.test(due)) return { kind: 'last-working-day-of-month-after' };
    if (/^cuối tháng /.test(due)) return { kind: 'end-of-month-after' };
    return '';
  }
  m = /^(?:day )?(\d{1,2}) of (?:the )?(?:following month|month after(?: (?:the )?(?:period|quarter|half-year|year))?)$/.exec(due);
  if (m) return every === 'week' ? 'weekly reports are due on a weekday' : dayOf(Number(m[1]), 'day-of-month-after');
  const dates = [...due.matchAll(/(\d{1,2})\/(\d{1,2})/g)];
  if (dates.length > 0 && /^(?:ngày )?\d{1,2}\/\d{1,2}(?:(?: và | and | )(?:ngày )?\d{1,2}\/\d{1,2})*$/.test(due)) {
    return datesInYear(dates.map((d) => ({ day: Number(d[1]), month: Number(d[2]) })), every);
  }
  m = /^(thứ (?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật|monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?: (?:của )?(tuần (?:sau|tiếp theo)|next week|of the following week))?$/.exec(due);
  if (m) {
    if (every !== 'week') return 'chỉ báo cáo hằng tuần mới hạn theo thứ trong tuần';
    return { kind: 'weekday', weekday: WEEKDAYS[m[1]], weekAfter: m[2] !== undefined };
  }
  return '';
}

function dayOf(day: number, kind: 'day-of-last-month' | 'day-of-month-after'): PeriodDue | string {
  return day >= 1 && day <= 31 ? { kind, day } : `không có ngày ${day} trong tháng nào`;
}

function datesInYear(dates: { day: number; month: number }[], every: PeriodUnit): PeriodDue | string {
  if (every === 'week' || every === 'month') return 'ngày/tháng cố định chỉ dùng cho báo cáo quý, 6 tháng hoặc năm';
  const n = periodsInYear(every, 2001);
  if (dates.length !== n) return `cần ${n} ngày/tháng, mỗi kỳ một ngày, có ${dates.length}`;
  for (const [i, d] of dates.entries()) {
    if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > daysInMonth(2000, d.month)) return `${d.day}/${d.month} không phải ngày có thật`;
    // Each period's date falls in or after that period, never before it starts.
    const firstMonth = i * (12 / n) + 1;
    if (d.month < firstMonth) return `hạn ${d.day}/${d.month} rơi trước khi kỳ thứ ${i + 1} bắt đầu`;
    if (i > 0 && (d.month < dates[i - 1].month || (d.month === dates[i - 1].month && d.day <= dates[i - 1].day))) return 'các ngày phải theo thứ tự thời gian';
  }
  return { kind: 'dates-in-year', dates };
}

/** The date the rhythm names for a period, before any working-day adjustment. */
export function periodicNominalDate(rhythm: PeriodicRhythm, period: ReportPeriodKey, calendar: WorkingCalendar): IsoDate {
  if (period.unit !== rhythm.every) throw new RangeError(`a ${rhythm.every} rhythm cannot be due for a ${period.unit} period`);
  const due = rhythm.due;
  const last = lastMonthOf(period);
  const next = last.month === 12 ? { year: last.year + 1, month: 1 } : { year: last.year, month: last.month + 1 };
  switch (due.kind) {
    case 'end-of-period':
      return periodEnd(period);
    case 'last-working-day-of-period':
      return calendar.previousWorkingDayOnOrBefore(periodEnd(period));
    case 'day-of-last-month':
      // "Day 31" in a 30-day month means that month's last day.
      return isoDate(last.year, last.month, Math.min(due.day, daysInMonth(last.year, last.month)));
    case 'day-of-month-after':
      return isoDate(next.year, next.month, Math.min(due.day, daysInMonth(next.year, next.month)));
    case 'last-working-day-of-month-after':
      return calendar.lastWorkingDayOfMonth(next.year, next.month);
    case 'end-of-month-after':
      return lastDayOfMonth(next.year, next.month);
    case 'dates-in-year': {
      const d = due.dates[period.index - 1];
      return isoDate(period.year, d.month, Math.min(d.day, daysInMonth(period.year, d.month)));
    }
    case 'weekday':
      return addDays(periodStart(period), due.weekday - 1 + (due.weekAfter ? 7 : 0));
  }
}

/** Whether `key` is a period of `unit`; else a message naming the shape expected (vi / en). */
export function checkPeriodKey(key: string, unit: PeriodUnit): string | undefined {
  const p = parsePeriodKey(key);
  if (p?.unit === unit) return undefined;
  return `"${key}" không phải kỳ ${UNIT_NAMES[unit].vi}; viết ví dụ ${PERIOD_KEY_EXAMPLES[unit]} / "${key}" is not a ${UNIT_NAMES[unit].en} period; write e.g. ${PERIOD_KEY_EXAMPLES[unit]}`;
}
