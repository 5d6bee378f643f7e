import ExcelJS from 'exceljs';
import { STATUS_CODES, STATUS_COLOURS, STATUS_LABELS } from '@dieu-hanh/domain';
import { formatDate } from '../deadline-status';
import type { Lang, Translate } from '../i18n/i18n';
import type { MessageKey } from '../i18n/vi';
import type { PlanDashboard } from './plan-dashboard.service';
import { readableTextOn } from '../web-pages';

const argb = (hex: string) => `FF${hex.slice(1).toUpperCase()}`;

/**
 * The dashboard's tasks × units matrix as an XLSX workbook: one sheet for the matrix (each
 * cell coloured by its worst status, listing every assignment), one for per-unit statistics,
 * one for the statistics of the units waited on (their own timeliness as deciders).
 */
export async function matrixWorkbook(board: PlanDashboard, lang: Lang, t: Translate): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Điều hành';
  book.created = new Date();

  const sheet = book.addWorksheet(lang === 'vi' ? 'Ma trận' : 'Matrix', { views: [{ state: 'frozen', xSplit: 1, ySplit: 2 }] });
  sheet.addRow([board.plan.title]).font = { bold: true };
  sheet.addRow([t('col.task'), ...board.units.map((u) => u.shortName)]).font = { bold: true };
  sheet.getColumn(1).width = 60;
  board.units.forEach((_, i) => (sheet.getColumn(i + 2).width = 28));
  for (const r of board.exportRows) {
    const row = sheet.addRow([
      r.task ? r.task.label : t('dashboard.general'),
      ...r.cells.map((items) =>
        items
          .map((i) => `${t(`kind.${i.row.kind}` as MessageKey)}${i.coordinating ? ` [${t('dashboard.coordinating')}]` : ''}: ${i.status.label} (${t('col.deadline').toLowerCase()} ${formatDate(i.row.effectiveDeadline)})`)
          .join('\n'),
      ),
    ]);
    row.alignment = { wrapText: true, vertical: 'top' };
    r.cells.forEach((items, i) => {
      if (items.length === 0) return;
      // The most urgent status colours the cell, so a red item is never hidden behind a green one.
      const worst = items.map((x) => x.status.code).sort((a, b) => urgency(b) - urgency(a))[0];
      const cell = row.getCell(i + 2);
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(STATUS_COLOURS[worst]) } };
      cell.font = { color: { argb: argb(readableTextOn(STATUS_COLOURS[worst]) === '#000' ? '#000000' : '#FFFFFF') } };
    });
  }
  sheet.addRow([]);
  sheet.addRow([t('dashboard.legend')]).font = { bold: true };
  for (const code of STATUS_CODES) {
    const row = sheet.addRow([STATUS_LABELS[code][lang]]);
    row.getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(STATUS_COLOURS[code]) } };
    row.getCell(1).font = { color: { argb: readableTextOn(STATUS_COLOURS[code]) === '#000' ? 'FF000000' : 'FFFFFFFF' } };
  }

  const stats = book.addWorksheet(lang === 'vi' ? 'Thống kê' : 'Statistics');
  stats.addRow([t('col.unit'), t('col.total'), t('col.onTime'), t('col.late'), t('col.overdue'), t('col.inProgress')]).font = { bold: true };
  stats.getColumn(1).width = 50;
  for (const s of board.stats) stats.addRow([s.unit.name, s.total, s.onTime, s.late, s.overdue, s.inProgress]);

  // Per unit waited on (approval steps, extension decisions, difficulty answers): the dashboard's own numbers.
  const waited = book.addWorksheet(lang === 'vi' ? 'Người phải quyết định' : 'Waited on');
  waited.addRow([t('waitedOn.unit'), t('col.total'), t('col.onTime'), t('col.late'), t('col.overdue'), t('waitedOn.waiting')]).font = { bold: true };
  waited.getColumn(1).width = 50;
  for (const w of board.waitedOn) waited.addRow([w.name, w.total, w.onTime, w.late, w.overdue, w.waiting]);

  return Buffer.from(await book.xlsx.writeBuffer());
}

const URGENCY: Record<string, number> = { cancelled: 0, 'done-on-time': 1, 'not-due': 2, rejected: 3, 'done-late': 4, 'due-soon': 5, overdue: 6 };
const urgency = (code: string) => URGENCY[code] ?? 0;
