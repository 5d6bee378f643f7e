import ExcelJS from 'exceljs';
import { describePerson, type TimelineEntry } from '@dieu-hanh/domain/audit';
import { formatDateTime } from '../deadline-status';
import type { Lang, Translate } from '../i18n/i18n';

export interface TimelineSection {
  workflowId: string;
  title: string;
  entries: TimelineEntry[];
}

/** "Hạn: 31/01/2020 → 07/02/2020" for each change an entry made. */
export const changesText = (entry: TimelineEntry) =>
  (entry.changes ?? []).map((c) => `${c.field}: ${c.before ?? '—'} → ${c.after ?? '—'}`).join('\n');

export const emailedText = (entry: TimelineEntry, t: Translate) =>
  entry.emailed === true ? t('audit.timeline.emailSent') : entry.emailed === false ? t('audit.timeline.emailNotSent') : '';

/**
 * Timelines as an XLSX workbook: one sheet with every entry of every workflow given, in
 * the columns an inspector files (time +07, workflow, event id, person, what, changes,
 * recipients, e-mail, refused).
 */
export async function timelineWorkbook(sections: TimelineSection[], lang: Lang, t: Translate): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Điều hành';
  book.created = new Date();
  const sheet = book.addWorksheet(t('audit.timeline'), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: `${t('col.when')} (+07)`, width: 18 },
    { header: t('audit.col.workflow'), width: 42 },
    { header: t('audit.col.run'), width: 14 },
    { header: t('audit.col.event'), width: 9 },
    { header: t('audit.col.who'), width: 40 },
    { header: t('audit.timeline.onBehalfOf', { name: '' }).trim(), width: 32 },
    { header: t('audit.col.what'), width: 70 },
    { header: t('audit.col.result'), width: 36 },
    { header: t('audit.timeline.recipients'), width: 36 },
    { header: 'E-mail', width: 20 },
    { header: t('audit.timeline.refused'), width: 12 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const section of sections) {
    for (const e of section.entries) {
      const row = sheet.addRow([
        formatDateTime(e.at),
        section.workflowId,
        e.runId.slice(0, 8),
        e.eventId,
        e.actor ? describePerson(e.actor) : '',
        e.onBehalfOf ? describePerson(e.onBehalfOf) : '',
        e.text[lang],
        changesText(e),
        (e.recipients ?? []).join(', '),
        emailedText(e, t),
        e.refused ? t('audit.timeline.refused') : '',
      ]);
      row.alignment = { wrapText: true, vertical: 'top' };
      if (e.refused) row.getCell(11).font = { bold: true, color: { argb: 'FFB3261E' } };
    }
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
