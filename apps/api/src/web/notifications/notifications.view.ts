import type { AssignmentEntity } from '@dieu-hanh/persistence';
import type { PersonalNotice } from '../../notifications/notifications.service';
import { formatDateTime } from '../deadline-status';
import type { Lang } from '../i18n/i18n';
import { localiseDates, noticeHeadline } from '@dieu-hanh/domain';

export interface NoticeView {
  id: string;
  read: boolean;
  at: string;
  kind: string;
  level: number;
  link: string;
  /** In the reader's language, from the notice's facts: what, which assignment, which plan, which deadline. */
  headline: string;
  /** The text the workflow wrote (Vietnamese), its dates as dd/mm/yyyy; shown as such to Vietnamese readers, quoted to others. */
  original: string;
}

/** The same dates the e-mails show (one definition, in the domain). */
export { localiseDates };

export function noticeView(n: PersonalNotice, assignment: AssignmentEntity | undefined, lang: Lang): NoticeView {
  const facts = assignment ? { title: assignment.title, planNumber: assignment.spec.planNumber, deadline: assignment.state.deadline.effective } : { title: n.assignmentId, planNumber: n.planKey };
  return {
    id: n.id,
    read: n.readAt !== null,
    at: formatDateTime(n.createdAt),
    kind: n.kind,
    level: n.level,
    // A summary lists many items of a plan, not one assignment: no link.
    link: n.kind === 'summary' ? '' : `/assignments/${encodeURIComponent(n.assignmentId)}`,
    // The same headline as the e-mail a reader of this language gets (one definition, in the domain).
    headline: noticeHeadline(lang, n, facts),
    original: localiseDates(`${n.subject}. ${n.body}`),
  };
}
