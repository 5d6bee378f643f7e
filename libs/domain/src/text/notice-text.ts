import { localiseDates } from './local-dates';

/** The languages a person may read the product in (the web UI's, and their e-mails'). */
export const READER_LANGUAGES = ['vi', 'en'] as const;
export type ReaderLanguage = (typeof READER_LANGUAGES)[number];

export const isReaderLanguage = (v: unknown): v is ReaderLanguage => typeof v === 'string' && (READER_LANGUAGES as readonly string[]).includes(v);

/** What kind of notice it is, in each language: the same words on the notifications page and in e-mails. */
export const NOTICE_KIND_LABELS: Record<string, Record<ReaderLanguage, string>> = {
  reminder: { vi: 'Nhắc hạn', en: 'Reminder' },
  escalation: { vi: 'Báo cáo vượt cấp', en: 'Escalation' },
  submitted: { vi: 'Đã nộp', en: 'Submitted' },
  'approval-needed': { vi: 'Cần cho ý kiến', en: 'Decision needed' },
  decided: { vi: 'Đã có ý kiến', en: 'Decided' },
  extension: { vi: 'Gia hạn', en: 'Extension' },
  difficulties: { vi: 'Khó khăn, vướng mắc', en: 'Difficulties' },
  'citation-mismatch': { vi: 'Số kế hoạch cần cập nhật', en: 'Plan number to correct' },
  'side-effect-failed': { vi: 'Lỗi ghi nhận hoặc gửi thông báo', en: 'Recording or notification failure' },
  'handed-over': { vi: 'Chuyển giao', en: 'Handed over' },
  summary: { vi: 'Tổng hợp quá hạn', en: 'Overdue summary' },
};

export const noticeKindLabel = (kind: string, lang: ReaderLanguage): string => NOTICE_KIND_LABELS[kind]?.[lang] ?? kind;

/** The facts of the assignment a notice is about, read from the read model. */
export interface NoticeFacts {
  title: string;
  planNumber: string;
  /** The effective deadline, ISO date. */
  deadline?: string;
}

export interface NoticeParts {
  kind: string;
  level: number;
  /** The text the workflow wrote (Vietnamese). */
  subject: string;
  body: string;
}

const WORDS = {
  vi: { level: 'mức', plan: 'Kế hoạch số', due: 'hạn', original: 'Nguyên văn (tiếng Việt)' },
  en: { level: 'level', plan: 'Plan No.', due: 'due', original: 'Original text (Vietnamese)' },
} as const;

/** A notice's headline in the reader's language, from its facts: what, which assignment, which plan, which deadline. */
export function noticeHeadline(lang: ReaderLanguage, notice: Pick<NoticeParts, 'kind' | 'level' | 'subject'>, facts: NoticeFacts | undefined): string {
  const w = WORDS[lang];
  const label = noticeKindLabel(notice.kind, lang);
  // A summary lists many items of a plan, not one assignment: its own subject.
  if (notice.kind === 'summary' || !facts) return `${label}: ${localiseDates(notice.subject)}`;
  const kind = notice.level > 0 ? `${label} (${w.level} ${notice.level})` : label;
  return `${kind}: ${facts.title} — ${w.plan} ${facts.planNumber}, ${w.due} ${facts.deadline ? localiseDates(facts.deadline) : '—'}`;
}

/**
 * A notice e-mailed in the reader's language. Vietnamese readers get the text the workflow
 * wrote, its dates as dd/mm/yyyy (as before); others get the headline in their language, the
 * Vietnamese original quoted below it (the official wording), then the link.
 */
export function noticeEmail(lang: ReaderLanguage, notice: NoticeParts, facts: NoticeFacts | undefined, link: string): { subject: string; text: string } {
  if (lang === 'vi') return { subject: localiseDates(notice.subject), text: `${localiseDates(notice.body)}\n\n${link}` };
  const headline = noticeHeadline(lang, notice, facts);
  return { subject: headline, text: `${headline}\n\n${WORDS[lang].original}:\n${localiseDates(notice.subject)}\n${localiseDates(notice.body)}\n\n${link}` };
}
