import { openWaitsOf, type WaitingOn } from '@dieu-hanh/domain/assignment';
import { createWorkingCalendar, waitStatus, STATUS_COLOURS, STATUS_LABELS } from '@dieu-hanh/domain';
import { formatDate, formatDateTime, type DeadlineStatus, type StatusView } from './deadline-status';
import type { Lang, Translate } from './i18n/i18n';

/**
 * Who is waited on, since when and until when, as the inbox, the assignment page and the
 * dashboard show it: the unit (and the people holding the role there, by name and position),
 * the moment it began, the deadline (dd/mm/yyyy), the status by the domain's one definition
 * of a wait's timeliness (`waitStatus`), and the escalation level reached.
 */
export interface WaitView {
  kind: WaitingOn['kind'];
  /** The approval step's label, or what the wait is for ("Quyết định gia hạn"). */
  what: string;
  unit: string;
  unitName: string;
  /** "Nguyễn Văn A, Chánh Văn phòng; …", or '' when nobody holds the role in the directory. */
  people: string;
  since: string;
  due?: string;
  status?: StatusView;
  level: number;
}

export interface WaitContext {
  lang: Lang;
  t: Translate;
  now: Date;
  status: DeadlineStatus;
  unitName: (code: string) => string;
  /** Names and positions of those holding `role` in `unit` (any role when absent). */
  holders: (unit: string, role?: string) => string;
}

const calendar = createWorkingCalendar();

/** The role that acts on a wait that names only a unit. */
const DEFAULT_ROLE: Partial<Record<WaitingOn['kind'], string>> = { 'extension-decision': 'standing-office' };

/** Everything of one assignment that waits on a person now (the domain's one definition, which the worker's summary also uses). */
export { openWaitsOf };

export function waitView(wait: WaitingOn & { closedAt?: string }, what: string, c: WaitContext): WaitView {
  const code = waitStatus(wait, c.now, calendar);
  const status: StatusView | undefined = code && {
    code,
    label: STATUS_LABELS[code][c.lang],
    colour: STATUS_COLOURS[code],
    timeText: wait.deadline && !wait.closedAt ? c.status.clockText(wait.deadline.effective, code, c.t, c.now) : wait.closedAt ? c.t('time.doneAt', { date: formatDate(wait.closedAt) }) : '',
  };
  return {
    kind: wait.kind,
    what,
    unit: wait.unit,
    unitName: c.unitName(wait.unit),
    people: c.holders(wait.unit, wait.role ?? DEFAULT_ROLE[wait.kind]),
    since: formatDateTime(wait.since),
    due: wait.deadline ? formatDate(wait.deadline.effective) : undefined,
    status,
    level: wait.level,
  };
}

/** What the wait is for, in the reader's words: the step's label, else the kind. */
export function waitWhat(wait: WaitingOn, chainLabel: (step: string) => string | undefined, t: Translate): string {
  return (wait.kind === 'approval-step' ? chainLabel(wait.ref) : undefined) ?? t(`wait.kind.${wait.kind}`);
}
