import { isIsoDate, isoDate, lastDayOfMonth, type IsoDate } from '../calendar/iso-date';

/** The span a plan declares it runs for (thời gian thực hiện), as dates. */
export interface PlanHorizon {
  from?: IsoDate;
  to: IsoDate;
}

/**
 * Reads `plan.horizon` as plan writers write it: "năm 2020", "nhiệm kỳ 2020–2025",
 * "giai đoạn 2021-2025", "2021–2025", "đến hết năm 2021", "đến hết tháng 6/2021",
 * "đến ngày 30/06/2021" (or an ISO date). A span of years ends on 31 December of its
 * last year: a Party term ends at the next congress, whose date no plan knows in advance,
 * so a plan that needs the exact day writes "đến ngày …".
 */
export function parsePlanHorizon(text: string): { ok: true; horizon: PlanHorizon } | { ok: false; message: string } {
  const t = text.normalize('NFC').toLocaleLowerCase('vi').replace(/[–—]/g, '-').replace(/\s+/g, ' ').trim().replace(/[.,]$/, '');
  let m = /^(?:năm |year )?(\d{4})$/.exec(t);
  if (m) return ok(isoDate(Number(m[1]), 1, 1), isoDate(Number(m[1]), 12, 31));
  m = /^(?:(?:nhiệm kỳ|giai đoạn|thời kỳ|các năm|term|period) )?(\d{4}) ?- ?(\d{4})$/.exec(t);
  if (m) {
    if (Number(m[2]) < Number(m[1])) return { ok: false, message: `"${text}": năm kết thúc trước năm bắt đầu / the span ends before it starts` };
    return ok(isoDate(Number(m[1]), 1, 1), isoDate(Number(m[2]), 12, 31));
  }
  m = /^(?:đến hết|hết|until the end of) (?:năm |year )?(\d{4})$/.exec(t);
  if (m) return ok(undefined, isoDate(Number(m[1]), 12, 31));
  m = /^(?:đến hết|hết|until the end of) tháng (\d{1,2})\/(\d{4})$/.exec(t);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 12) return ok(undefined, lastDayOfMonth(Number(m[2]), Number(m[1])));
  m = /^(?:(?:đến(?: hết)?|until) )?(?:ngày )?(?:(\d{1,2})\/(\d{1,2})\/(\d{4})|(\d{4}-\d{2}-\d{2}))$/.exec(t);
  if (m) {
    const date = m[4] ?? isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
    if (isIsoDate(date)) return ok(undefined, date);
  }
  return {
    ok: false,
    message: `không đọc được thời gian thực hiện "${text}"; viết ví dụ "năm 2020", "nhiệm kỳ 2020-2025", "đến hết tháng 6/2021", "đến ngày 30/06/2021" / cannot read the plan's horizon "${text}"; write e.g. "năm 2020", "nhiệm kỳ 2020-2025", "đến ngày 30/06/2021"`,
  };
}

function ok(from: IsoDate | undefined, to: IsoDate): { ok: true; horizon: PlanHorizon } {
  return { ok: true, horizon: from === undefined ? { to } : { from, to } };
}
