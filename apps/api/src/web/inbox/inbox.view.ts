import type { AssignmentEntity } from '@dieu-hanh/persistence';
import { unansweredDifficulty, type ApprovalState } from '@dieu-hanh/domain/assignment';
import { formatDate, formatDateTime, type DeadlineStatus, type StatusView } from '../deadline-status';
import type { Lang, Translate } from '../i18n/i18n';
import type { PersonRef } from '../people-directory';
import type { ApprovalEntity } from '@dieu-hanh/persistence';
import { openWaitsOf, waitView, waitWhat, type WaitContext, type WaitView } from '../waiting-on.view';
import type { InboxApproval, InboxRow } from './inbox.service';

/** One inbox row as the page shows it: the plan's number on every row, people by name and position. */
export interface InboxRowView {
  id: string;
  title: string;
  planKey: string;
  planNumber: string;
  kind: string;
  unitName: string;
  deadline: string;
  status: StatusView;
  /** Sent back: the comment, who asked and the new deadline. */
  sentBack?: { comment: string; by: string; at: string; version: number; deadline: string };
  submitted?: { version: number; at: string; by: string };
  approval?: { step: string; version: number; since: string; sla?: string; slaDue?: string; slaOverdue: boolean; delegated: boolean; wait?: WaitView };
  /** Who the row waits on now other than its lead unit (approval step, extension decision, difficulty answer). */
  waits: WaitView[];
  extension?: { by: string; at: string; proposed: string; reason: string };
  difficulty?: { text: string; by: string; at: string; version: number; answer?: { text: string; by: string; at: string } };
  escalationLevel: number;
}

export interface RowContext {
  lang: Lang;
  t: Translate;
  status: DeadlineStatus;
  unitName: (planKey: string, code: string) => string;
  person: (p: PersonRef | undefined) => string;
  approvals: Map<string, InboxApproval>;
  /** Each row's open approval, whoever holds its step. */
  open: Map<string, ApprovalEntity>;
  wait: WaitContext;
  now: Date;
}

/** Where the step waiting now began: the previous step's decision, or the submission of the version. */
export function stepSince(approval: ApprovalState, row: Pick<AssignmentEntity, 'state'>): string | undefined {
  return approval.decisions.at(-1)?.at ?? row.state.submissions.find((s) => s.version === approval.version)?.at;
}

/** "2 ngày 4 giờ" from seconds, in the reader's language. */
export function durationText(seconds: number, t: Translate): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const parts = [days ? t('duration.days', { n: days }) : '', hours ? t('duration.hours', { n: hours }) : '', !days && minutes ? t('duration.minutes', { n: minutes }) : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : t('duration.seconds', { n: seconds });
}

export function inboxRow(row: InboxRow, c: RowContext): InboxRowView {
  const s = row.state;
  const last = s.submissions.at(-1);
  const view: InboxRowView = {
    id: row.id,
    title: row.title,
    planKey: row.planKey,
    planNumber: row.spec.planNumber ?? row.planKey,
    kind: c.t(`kind.${row.kind}` as never),
    unitName: c.unitName(row.planKey, row.leadUnit),
    deadline: formatDate(row.effectiveDeadline),
    status: c.status.of(row, c.lang, c.t, c.now),
    escalationLevel: row.escalationLevel,
    waits: [],
  };
  const open = c.open.get(row.id)?.state;
  view.waits = openWaitsOf(s, open).map((w) => waitView(w, waitWhat(w, (step) => open?.chain.find((x) => x.step === step)?.label, c.t), c.wait));
  if (row.lifecycle === 'open' && last?.outcome === 'request-changes') {
    view.sentBack = { comment: last.comment ?? '', by: c.person(last.decidedBy), at: formatDateTime(s.lastEventAt), version: last.version, deadline: formatDate(s.deadline.effective) };
  }
  if (row.lifecycle === 'awaiting-approval' && last) view.submitted = { version: last.version, at: formatDateTime(last.at), by: c.person(last.by) };
  const held = c.approvals.get(row.id);
  if (held) {
    const a = held.approval.state;
    const step = a.chain[a.stepIndex];
    const wait = view.waits.find((w) => w.kind === 'approval-step');
    const since = stepSince(a, row);
    const sla = wait ? undefined : step?.slaSeconds;
    const slaDue = since && sla ? new Date(Date.parse(since) + sla * 1000) : undefined;
    view.approval = {
      step: step?.label ?? '',
      version: a.version,
      since: wait?.since ?? formatDateTime(since),
      wait,
      sla: sla ? durationText(sla, c.t) : undefined,
      slaDue: slaDue ? formatDateTime(slaDue) : undefined,
      slaOverdue: slaDue !== undefined && slaDue.getTime() < c.now.getTime(),
      delegated: held.delegated,
    };
  }
  const pending = s.extensions.find((x) => x.status === 'pending');
  if (pending) view.extension = { by: c.person(pending.requestedBy), at: formatDateTime(pending.requestedAt), proposed: formatDate(pending.proposedDate), reason: pending.reason };
  // The difficulty still waiting for an answer, else the last report's.
  const reported = unansweredDifficulty(s) ?? (last?.difficulties?.trim() ? last : undefined);
  if (reported?.difficulties) {
    const text = reported.difficulties.trim();
    view.difficulty = {
      text: text.length > 300 ? `${text.slice(0, 300)}…` : text,
      by: c.person(reported.by),
      at: formatDateTime(reported.at),
      version: reported.version,
      ...(reported.difficultyAnswer ? { answer: { text: reported.difficultyAnswer.text, by: c.person(reported.difficultyAnswer.by), at: formatDateTime(reported.difficultyAnswer.at) } } : {}),
    };
  }
  return view;
}

/** Consecutive rows of the same plan under one heading (rows come sorted by plan first). */
export function groupByPlan(rows: InboxRowView[]): { planKey: string; planNumber: string; rows: InboxRowView[] }[] {
  const groups: { planKey: string; planNumber: string; rows: InboxRowView[] }[] = [];
  for (const row of rows) {
    const current = groups.at(-1);
    if (current?.planKey === row.planKey) current.rows.push(row);
    else groups.push({ planKey: row.planKey, planNumber: row.planNumber, rows: [row] });
  }
  return groups;
}
