import nunjucks from 'nunjucks';
import { describePerson } from '@dieu-hanh/domain/audit';
import { formatDate, formatDateTime } from '../deadline-status';
import type { Lang, Translate } from '../i18n/i18n';
import { AUDIT_VIEWS_DIR } from '../web-paths';
import { changesText, emailedText, type TimelineSection } from './timeline-workbook';

// A page of its own (no navigation, no scripts): the same bytes go to the browser and into the dossier.
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(AUDIT_VIEWS_DIR), { autoescape: true, trimBlocks: true, lstripBlocks: true });
env.addFilter('date', formatDate);
env.addFilter('datetime', formatDateTime);

export interface PrintInput {
  title: string;
  sections: TimelineSection[];
  lang: Lang;
  t: Translate;
  generatedAt: Date;
  generatedBy: string;
}

/** The printable timeline page (A4, black on white), in the page's language. */
export function timelinePrintHtml(input: PrintInput): string {
  const sections = input.sections.map((s) => ({
    ...s,
    rows: s.entries.map((e) => ({
      e,
      who: e.actor ? describePerson(e.actor) : '',
      onBehalfOf: e.onBehalfOf ? describePerson(e.onBehalfOf) : '',
      text: e.text[input.lang],
      changes: changesText(e),
      emailed: emailedText(e, input.t),
    })),
  }));
  return env.render('audit-timeline-print.njk', { ...input, sections });
}
