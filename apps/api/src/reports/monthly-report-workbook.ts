import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { STATUS_COLOURS, STATUS_LABELS, parsePeriodKey, periodLabel, splitIsoDate, type PeriodUnit } from '@dieu-hanh/domain';
import { NOT_OPENED, REPORT_STATUSES, type MonthlyReport, type ReportStatus } from './monthly-report.service';

const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const DATE_FORMAT = 'dd/mm/yyyy';
const DATE_TIME_FORMAT = 'dd/mm/yyyy hh:mm';

/** Vietnamese status names, with one for a period that has no assignment. */
export const REPORT_STATUS_LABELS: Readonly<Record<ReportStatus, { vi: string; en: string }>> = {
  ...STATUS_LABELS,
  [NOT_OPENED]: { vi: 'Chưa mở kỳ báo cáo', en: 'Period not opened' },
};
const REPORT_STATUS_COLOURS: Readonly<Record<ReportStatus, string>> = { ...STATUS_COLOURS, [NOT_OPENED]: '#E0E0E0' };

/** The sheet's columns, in Vietnamese: the workbook goes to the Standing Office as it is. */
export const MONTHLY_REPORT_COLUMNS = [
  { header: 'STT', width: 6 },
  { header: 'Đơn vị', width: 36 },
  { header: 'Nhiệm vụ', width: 22 },
  { header: 'Tình trạng', width: 24 },
  { header: 'Hạn theo văn bản', width: 16 },
  { header: 'Hạn thực tế', width: 14 },
  { header: 'Hạn ban đầu', width: 14 },
  { header: 'Ngày nộp', width: 18 },
  { header: 'Người nộp', width: 24 },
  { header: 'Nội dung báo cáo', width: 60 },
  { header: 'Khó khăn, vướng mắc', width: 44 },
  { header: 'Mức báo cáo vượt cấp', width: 12 },
] as const;

/** Row of the column headings; the data follows it. */
export const MONTHLY_REPORT_HEADER_ROW = 5;

const argb = (hex: string) => `FF${hex.slice(1).toUpperCase()}`;

/**
 * A civil date as an Excel date (a serial day, no time zone), shown dd/mm/yyyy.
 * ExcelJS reads a Date's UTC fields, so the date is built at UTC midnight.
 */
const civilDate = (iso: string) => {
  const { year, month, day } = splitIsoDate(iso);
  return new Date(Date.UTC(year, month - 1, day));
};
/** An instant as the wall-clock time in Asia/Ho_Chi_Minh, for the same reason. */
const localDateTime = (iso: string) => {
  const t = DateTime.fromISO(iso, { zone: TIME_ZONE });
  return new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second));
};

/**
 * The monthly consolidated report as an XLSX workbook: one sheet of reports (one row per
 * duty, status coloured, dates as real dates formatted dd/mm/yyyy) and one of totals.
 */
export async function monthlyReportWorkbook(report: MonthlyReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Điều hành';
  book.created = new Date(report.generatedAt);

  // Sheet names may not hold "/": "Báo cáo quý", not "Báo cáo quý I/2021".
  const sheet = book.addWorksheet(SHEET_NAMES[parsePeriodKey(report.period)?.unit ?? 'month'], {
    views: [{ state: 'frozen', ySplit: MONTHLY_REPORT_HEADER_ROW }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.addRow([`BÁO CÁO TỔNG HỢP ${periodLabel(report.period).toLocaleUpperCase('vi')}`]).font = { bold: true, size: 14 };
  sheet.addRow([`${report.plan.number} — ${report.plan.title}`]);
  const made = sheet.addRow(['Ngày lập:', localDateTime(report.generatedAt)]);
  made.getCell(2).numFmt = DATE_TIME_FORMAT;
  made.getCell(2).alignment = { horizontal: 'left' };
  sheet.addRow([]);
  const header = sheet.addRow(MONTHLY_REPORT_COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle' };
  MONTHLY_REPORT_COLUMNS.forEach((c, i) => (sheet.getColumn(i + 1).width = c.width));

  report.rows.forEach((r, i) => {
    const row = sheet.addRow([
      i + 1,
      r.unit.name,
      r.taskCodes.join(', '),
      REPORT_STATUS_LABELS[r.status].vi,
      civilDate(r.deadline.nominal),
      civilDate(r.deadline.effective),
      civilDate(r.originalDeadline.effective),
      r.submittedAt ? localDateTime(r.submittedAt) : '',
      r.submittedBy?.name ?? '',
      r.text ?? '',
      r.difficulties ?? '',
      r.escalationLevel,
    ]);
    row.alignment = { wrapText: true, vertical: 'top' };
    for (const col of [5, 6, 7]) row.getCell(col).numFmt = DATE_FORMAT;
    row.getCell(8).numFmt = DATE_TIME_FORMAT;
    const status = row.getCell(4);
    status.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(REPORT_STATUS_COLOURS[r.status]) } };
    status.font = { color: { argb: textOn(REPORT_STATUS_COLOURS[r.status]) } };
  });

  const totals = book.addWorksheet('Tổng hợp');
  totals.getColumn(1).width = 40;
  totals.getColumn(2).width = 12;
  totals.addRow(['Chỉ tiêu', 'Số lượng']).font = { bold: true };
  totals.addRow(['Số đơn vị phải báo cáo', report.totals.duties]);
  totals.addRow(['Đã mở kỳ báo cáo', report.totals.opened]);
  totals.addRow(['Đã nộp báo cáo', report.totals.submitted]);
  totals.addRow(['Chưa nộp báo cáo', report.totals.notSubmitted]);
  totals.addRow(['Có khó khăn, vướng mắc', report.totals.withDifficulties]);
  totals.addRow(['Đã báo cáo vượt cấp', report.totals.escalated]);
  for (const s of REPORT_STATUSES) totals.addRow([REPORT_STATUS_LABELS[s].vi, report.totals.byStatus[s]]);

  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Black or white text, whichever reads better on the status colour (as the web UI does). */
function textOn(hex: string): string {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? 'FF000000' : 'FFFFFFFF';
}

const SHEET_NAMES: Record<PeriodUnit, string> = { week: 'Báo cáo tuần', month: 'Báo cáo tháng', quarter: 'Báo cáo quý', 'half-year': 'Báo cáo 6 tháng', year: 'Báo cáo năm' };
const FILE_WORDS: Record<PeriodUnit, string> = { week: 'tuan', month: 'thang', quarter: 'quy', 'half-year': '6-thang', year: 'nam' };

/** A file name for the workbook: plan key and period, ASCII only (…-bao-cao-quy-2021-Q1.xlsx). */
export const monthlyReportFileName = (report: Pick<MonthlyReport, 'plan' | 'period'>) =>
  `${report.plan.key.replace(/[^\w.@-]+/g, '_')}-bao-cao-${FILE_WORDS[parsePeriodKey(report.period)?.unit ?? 'month']}-${report.period}.xlsx`;
