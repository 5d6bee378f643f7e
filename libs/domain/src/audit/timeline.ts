import { DateTime } from 'luxon';
import type { Actor, AssignmentEvent, Attachment, Decision } from '../assignment/assignment-events';
import type { ApprovalInput } from '../assignment/approval-state';
import type { Deadline, NoticeAudience } from '../assignment/assignment-spec';
import { createWorkingCalendar, type WorkingCalendar } from '../calendar/working-calendar';
import { approvalInputOf, specOf, type AuditRecord, type ExtractedHistory, type NoticeInput } from './domain-events';
import type { HistoryJson } from './history-json';

/** A real person as the timeline names them: from the event payload, position and unit name resolved at render time. */
export interface PersonRef {
  userId: string;
  name: string;
  position?: string;
  unit: string;
  unitName?: string;
}

export interface Bilingual {
  vi: string;
  en: string;
}

export interface TimelineChange {
  field: string;
  before?: string;
  after?: string;
}

export interface TimelineEntry {
  /** The history event where this became durable (refusals: the last event before them). */
  eventId: number;
  /** ISO 8601 instant. */
  at: string;
  /** e.g. 'submitted', 'approval-decided', 'reminder', 'escalation', 'extension-decided', 'refused'. */
  kind: string;
  refused?: boolean;
  actor?: PersonRef;
  onBehalfOf?: PersonRef;
  text: Bilingual;
  changes?: TimelineChange[];
  /** Unit names (or codes) a notice went to. */
  recipients?: string[];
  /** Whether the e-mail went out: true, false, or null when unknown (no read model rows). */
  emailed?: boolean | null;
  workflowId: string;
  runId: string;
}

/** Resolves people and units for the timeline (users table + the plan's units). */
export interface PeopleDirectory {
  person(actor: Actor): PersonRef;
  unitName(code: string): string | undefined;
}

/** A directory that knows nothing beyond the payload (imports, tests). */
export const payloadOnlyDirectory: PeopleDirectory = {
  person: (a) => ({ userId: a.userId, name: a.name, unit: a.unit }),
  unitName: () => undefined,
};

/** One delivery of a notice from the read model's notifications table. */
export interface NoticeDelivery {
  key: string;
  recipientUnit: string;
  emailedAt: string | null;
}

/** A refused attempt from the audit_refusals table. */
export interface RefusalRecord {
  at: string;
  userId: string;
  name: string;
  unit: string;
  roles: string[];
  method: string;
  path: string;
  workflowId?: string | null;
  code: string;
  reason: string;
}

export const AUDIT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** dd/mm/yyyy */
export const formatDate = (isoDateOrInstant: string): string =>
  /^\d{4}-\d{2}-\d{2}$/.test(isoDateOrInstant)
    ? isoDateOrInstant.split('-').reverse().join('/')
    : DateTime.fromISO(isoDateOrInstant, { zone: AUDIT_TIME_ZONE }).setZone(AUDIT_TIME_ZONE).toFormat('dd/MM/yyyy');

/** HH:mm dd/mm/yyyy, in Asia/Ho_Chi_Minh (+07), as official documents write it. */
export const formatTime = (instant: string): string =>
  DateTime.fromISO(instant, { zone: 'utc' }).setZone(AUDIT_TIME_ZONE).toFormat('HH:mm dd/MM/yyyy');

/** "Nguyễn Văn A (Chuyên viên, Ban cán sự đảng UBND tỉnh)" */
export function describePerson(p: PersonRef): string {
  const where = [p.position, p.unitName ?? p.unit].filter(Boolean).join(', ');
  return where ? `${p.name} (${where})` : p.name;
}

const DECISION_VI: Record<Decision, string> = { approve: 'Phê duyệt', 'request-changes': 'Yêu cầu chỉnh sửa', reject: 'Không phê duyệt' };
const DECISION_EN: Record<Decision, string> = { approve: 'Approved', 'request-changes': 'Changes requested', reject: 'Rejected' };

let calendar: WorkingCalendar | undefined;
const workingCalendar = () => (calendar ??= createWorkingCalendar());

/** Working days after the effective deadline up to (and including) the local date of `at`. */
export function workingDaysOverdue(deadline: Deadline, at: string): number {
  const today = DateTime.fromISO(at, { zone: 'utc' }).setZone(AUDIT_TIME_ZONE).toISODate()!;
  if (today <= deadline.effective) return 0;
  const cal = workingCalendar();
  let n = 0;
  for (let d = cal.addWorkingDays(deadline.effective, 1); d <= today; d = cal.addWorkingDays(d, 1)) n++;
  return n;
}

/** Unit codes a notice goes to (the same addressing as the worker's sendNotice). */
export function noticeRecipientUnits(notice: Pick<NoticeInput, 'audience' | 'leadUnit' | 'noticeUnits' | 'toUnits'>): string[] {
  const units: string[] = [];
  const add = (u: string) => {
    if (!units.includes(u)) units.push(u);
  };
  const byAudience: Record<NoticeAudience, string> = {
    'lead-unit': notice.leadUnit,
    'lead-unit-head': notice.leadUnit,
    'standing-office': notice.noticeUnits.standingOffice,
    'standing-committee': notice.noticeUnits.standingCommittee,
    // An assignment waits on its lead unit; other waits name their unit in `toUnits`.
    'waited-on': notice.leadUnit,
  };
  notice.audience.forEach((a) => add(byAudience[a]));
  (notice.toUnits ?? []).forEach(add);
  return units;
}

export interface TimelineInput {
  workflowId: string;
  runId: string;
  history: HistoryJson;
  extracted: ExtractedHistory;
  directory?: PeopleDirectory;
  deliveries?: NoticeDelivery[];
}

/**
 * The timeline of one run in the domain's words, Vietnamese and English, one entry per
 * domain fact with the history event id it became durable at.
 */
export function buildTimeline(input: TimelineInput): TimelineEntry[] {
  const { workflowId, runId, extracted, history } = input;
  const dir = input.directory ?? payloadOnlyDirectory;
  const unit = (code: string) => dir.unitName(code) ?? code;
  const eventTime = new Map(history.events.map((e) => [Number(e.eventId), e.eventTime]));
  const base = (r: AuditRecord, at?: string) => ({ eventId: r.eventId, at: at ?? eventTime.get(r.eventId) ?? '', workflowId, runId });
  const spec = specOf(extracted);
  const approval: ApprovalInput | undefined = approvalInputOf(extracted);
  const deliveriesOf = (key: string) => (input.deliveries ?? []).filter((d) => d.key === key);
  const emailedOf = (key: string): boolean | null => {
    const rows = deliveriesOf(key);
    if (rows.length === 0) return null;
    return rows.every((d) => d.emailedAt !== null);
  };
  const noticeByKey = new Map<string, Extract<AuditRecord, { type: 'notice' }>>();
  extracted.records.forEach((r) => r.type === 'notice' && noticeByKey.set(r.notice.key, r));
  // A timer's notice is scheduled before the timer's event is projected: pair them up first,
  // so the notice is told once, inside the reminder or escalation entry.
  const timerKeys = new Map<number, string>();
  let tracked: Deadline | undefined = spec?.deadline;
  for (const r of extracted.records) {
    if (r.type !== 'assignment-event') continue;
    const e = r.event;
    if (e.type === 'opened' || e.type === 'deadline-shifted') tracked = e.deadline;
    if ((e.type === 'approval-closed' || e.type === 'extension-decided') && e.deadline) tracked = e.deadline;
    if (e.type === 'timer-fired' && tracked) timerKeys.set(r.seq, `${workflowId}:timer:${tracked.dueAt}:${e.index}`);
  }
  const usedNotices = new Set([...timerKeys.values()].filter((k) => noticeByKey.has(k)));
  const entries: TimelineEntry[] = [];
  let reminders = 0;
  let deadline: Deadline | undefined = spec?.deadline;

  const noticeStatus = (n: Extract<AuditRecord, { type: 'notice' }> | undefined, key: string) => {
    const emailed = emailedOf(key);
    const vi =
      n?.outcome === 'failed' || n?.outcome === 'timed-out'
        ? 'gửi thông báo thất bại'
        : emailed === true
          ? 'thư điện tử đã gửi'
          : emailed === false
            ? 'thư điện tử chưa gửi'
            : n?.outcome === 'completed'
              ? 'đã thông báo trong hệ thống'
              : 'đang gửi';
    const en =
      n?.outcome === 'failed' || n?.outcome === 'timed-out'
        ? 'notice failed'
        : emailed === true
          ? 'e-mail sent'
          : emailed === false
            ? 'e-mail not sent'
            : n?.outcome === 'completed'
              ? 'notified in-app'
              : 'sending';
    return { vi, en, emailed };
  };

  for (const r of extracted.records) {
    switch (r.type) {
      case 'assignment-event': {
        const e: AssignmentEvent = r.event;
        const at = e.at;
        const by = 'by' in e ? dir.person(e.by) : undefined;
        const who = by ? describePerson(by) : '';
        switch (e.type) {
          case 'opened':
            deadline = e.deadline;
            entries.push({
              ...base(r, at),
              kind: 'opened',
              text: {
                vi: `Mở nhiệm vụ "${spec?.title ?? workflowId}" giao ${unit(spec?.leadUnit ?? '')}, hạn ${formatDate(e.deadline.effective)} (hạn ghi trong văn bản ${formatDate(e.deadline.nominal)})`,
                en: `Opened "${spec?.title ?? workflowId}" for ${unit(spec?.leadUnit ?? '')}, due ${formatDate(e.deadline.effective)} (document date ${formatDate(e.deadline.nominal)})`,
              },
              changes: [{ field: 'deadline', after: formatDate(e.deadline.effective) }],
            });
            break;
          case 'submitted':
            entries.push({
              ...base(r, at),
              kind: 'submitted',
              actor: by,
              text: { vi: `Phiên bản ${e.version} do ${who} trình lúc ${formatTime(at)}`, en: `Version ${e.version} submitted by ${who} at ${formatTime(at)}` },
              changes: [
                { field: 'version', before: e.version > 1 ? String(e.version - 1) : undefined, after: String(e.version) },
                // Each file as the history recorded it: an auditor compares the hash with the file in hand.
                ...(e.attachments ?? []).map((a) => ({ field: 'attachment', after: describeAttachment(a) })),
              ],
            });
            break;
          case 'approval-opened':
            entries.push({
              ...base(r, at),
              kind: 'approval-opened',
              text: { vi: `Mở phê duyệt phiên bản ${e.version} (${e.approvalId})`, en: `Approval of version ${e.version} opened (${e.approvalId})` },
            });
            break;
          case 'approval-closed': {
            const behalf = e.onBehalfOf ? dir.person(e.onBehalfOf) : undefined;
            const changes = e.deadline && deadline ? [{ field: 'deadline', before: formatDate(deadline.effective), after: formatDate(e.deadline.effective) }] : undefined;
            if (e.deadline) deadline = e.deadline;
            entries.push({
              ...base(r, at),
              kind: 'approval-closed',
              actor: by,
              onBehalfOf: behalf,
              text: {
                vi: `${DECISION_VI[e.outcome]} phiên bản ${e.version} do ${who} quyết định lúc ${formatTime(at)}${behalf ? ` theo ủy quyền của ${describePerson(behalf)}` : ''}${e.comment ? `: "${e.comment}"` : ''}${e.deadline ? `; hạn mới ${formatDate(e.deadline.effective)}` : ''}`,
                en: `Version ${e.version}: ${DECISION_EN[e.outcome].toLowerCase()} by ${who} at ${formatTime(at)}${behalf ? ` on behalf of ${describePerson(behalf)}` : ''}${e.comment ? `: "${e.comment}"` : ''}${e.deadline ? `; new deadline ${formatDate(e.deadline.effective)}` : ''}`,
              },
              changes,
            });
            break;
          }
          case 'timer-fired': {
            const key = timerKeys.get(r.seq) ?? '';
            const notice = noticeByKey.get(key);
            const recipientCodes = notice ? noticeRecipientUnits(notice.notice) : [];
            const recipients = recipientCodes.map(unit);
            const status = noticeStatus(notice, key);
            const to = recipients.join(', ');
            if (e.entry.type === 'reminder') {
              reminders++;
              entries.push({
                ...base(r, at),
                kind: 'reminder',
                text: notice
                  ? { vi: `Nhắc hạn lần ${reminders} gửi ${to} (${status.vi})`, en: `Reminder ${reminders} sent to ${to} (${status.en})` }
                  : { vi: `Nhắc hạn lần ${reminders} đã lỡ, không gửi (đã có mốc sau)`, en: `Reminder ${reminders} missed, not sent (a later one was due)` },
                recipients,
                emailed: notice ? status.emailed : null,
              });
            } else {
              const days = deadline ? workingDaysOverdue(deadline, at) : 0;
              entries.push({
                ...base(r, at),
                kind: 'escalation',
                text: notice
                  ? {
                      vi: `Báo cáo ${to}: ${days > 0 ? `quá hạn ${days} ngày làm việc` : 'đã đến hạn, chưa nộp'} (cấp ${e.entry.level}; ${status.vi})`,
                      en: `Reported to ${to}: ${days > 0 ? `${days} working day(s) overdue` : 'due, not submitted'} (level ${e.entry.level}; ${status.en})`,
                    }
                  : { vi: `Cảnh báo cấp ${e.entry.level} đã lỡ, không gửi (đã có mốc sau)`, en: `Level ${e.entry.level} escalation missed, not sent (a later one was due)` },
                changes: [{ field: 'escalationLevel', after: String(e.entry.level) }],
                recipients,
                emailed: notice ? status.emailed : null,
              });
            }
            break;
          }
          case 'extension-requested':
            entries.push({
              ...base(r, at),
              kind: 'extension-requested',
              actor: by,
              text: {
                vi: `Đề nghị gia hạn đến ${formatDate(e.proposedDate)} do ${who} gửi lúc ${formatTime(at)}: "${e.reason}"`,
                en: `Extension to ${formatDate(e.proposedDate)} requested by ${who} at ${formatTime(at)}: "${e.reason}"`,
              },
            });
            break;
          case 'extension-decided': {
            const changes = e.granted && e.deadline ? [{ field: 'deadline', before: deadline ? formatDate(deadline.effective) : undefined, after: formatDate(e.deadline.effective) }] : undefined;
            if (e.granted && e.deadline) deadline = e.deadline;
            entries.push({
              ...base(r, at),
              kind: 'extension-decided',
              actor: by,
              text: e.granted
                ? {
                    vi: `Gia hạn đến ${formatDate(e.deadline?.effective ?? '')} do ${who} quyết định lúc ${formatTime(at)}${e.comment ? `: "${e.comment}"` : ''}`,
                    en: `Extended to ${formatDate(e.deadline?.effective ?? '')}, decided by ${who} at ${formatTime(at)}${e.comment ? `: "${e.comment}"` : ''}`,
                  }
                : {
                    vi: `Không chấp nhận gia hạn, do ${who} quyết định lúc ${formatTime(at)}${e.comment ? `: "${e.comment}"` : ''}`,
                    en: `Extension refused by ${who} at ${formatTime(at)}${e.comment ? `: "${e.comment}"` : ''}`,
                  },
              changes,
            });
            break;
          }
          case 'deadline-shifted': {
            const changes = [{ field: 'deadline', before: deadline ? formatDate(deadline.effective) : undefined, after: formatDate(e.deadline.effective) }];
            deadline = e.deadline;
            entries.push({
              ...base(r, at),
              kind: 'deadline-shifted',
              actor: by,
              text: {
                vi: `Điều chỉnh hạn đến ${formatDate(e.deadline.effective)} do ${who} quyết định lúc ${formatTime(at)}: "${e.reason}"`,
                en: `Deadline moved to ${formatDate(e.deadline.effective)} by ${who} at ${formatTime(at)}: "${e.reason}"`,
              },
              changes,
            });
            break;
          }
          case 'comments-requested':
            entries.push({
              ...base(r, at),
              kind: 'comments-requested',
              actor: by,
              text: {
                vi: `Xin ý kiến ${e.units.map(unit).join(', ')} do ${who} gửi lúc ${formatTime(at)}: "${e.question}"`,
                en: `Comments asked of ${e.units.map(unit).join(', ')} by ${who} at ${formatTime(at)}: "${e.question}"`,
              },
              recipients: e.units.map(unit),
            });
            break;
          case 'comment-given':
            entries.push({
              ...base(r, at),
              kind: 'comment-given',
              actor: by,
              text: {
                vi: `Ý kiến của ${unit(e.unit)} do ${who} gửi lúc ${formatTime(at)}: "${e.text}"`,
                en: `Comments of ${unit(e.unit)} by ${who} at ${formatTime(at)}: "${e.text}"`,
              },
            });
            break;
          case 'handed-over':
            entries.push({
              ...base(r, at),
              kind: 'handed-over',
              actor: by,
              text: {
                vi: `Chuyển giao từ ${e.from} sang ${e.to} lúc ${formatTime(at)} (${who}): ${e.reason}`,
                en: `Handed over from ${e.from} to ${e.to} at ${formatTime(at)} (${who}): ${e.reason}`,
              },
              changes: [{ field: 'leadUnit', before: e.from, after: e.to }],
            });
            break;
          case 'cancelled':
            entries.push({
              ...base(r, at),
              kind: 'cancelled',
              actor: by,
              text: { vi: `Hủy lúc ${formatTime(at)} (${who}): ${e.reason}`, en: `Cancelled at ${formatTime(at)} (${who}): ${e.reason}` },
            });
            break;
        }
        break;
      }
      case 'approval-event': {
        const e = r.event;
        if (e.type === 'cancelled') {
          entries.push({
            ...base(r, e.at),
            kind: 'approval-cancelled',
            text: {
              vi: `Quy trình phê duyệt phiên bản ${approval?.version ?? ''} dừng lúc ${formatTime(e.at)}: ${e.reason}`,
              en: `Approval of version ${approval?.version ?? ''} stopped at ${formatTime(e.at)}: ${e.reason}`,
            },
          });
          break;
        }
        const stepSpec = approval?.chain.find((s) => s.step === (e.type === 'decided' ? e.record.step : e.step));
        const stepNo = approval ? approval.chain.findIndex((s) => s === stepSpec) + 1 : r.stepIndex + 1;
        const label = stepSpec?.label ?? (e.type === 'decided' ? e.record.step : e.step);
        if (e.type === 'decided') {
          const by = dir.person(e.record.by);
          const behalf = e.record.onBehalfOf ? dir.person(e.record.onBehalfOf) : undefined;
          entries.push({
            ...base(r, e.at),
            kind: 'approval-decided',
            actor: by,
            onBehalfOf: behalf,
            text: {
              vi: `${DECISION_VI[e.record.decision]} bước ${stepNo} (${label}) phiên bản ${approval?.version ?? ''} do ${describePerson(by)} quyết định lúc ${formatTime(e.at)}${behalf ? ` theo ủy quyền của ${describePerson(behalf)}` : ''}${e.record.comment ? `: "${e.record.comment}"` : ''}`,
              en: `${DECISION_EN[e.record.decision]} at step ${stepNo} (${label}), version ${approval?.version ?? ''}, by ${describePerson(by)} at ${formatTime(e.at)}${behalf ? ` on behalf of ${describePerson(behalf)}` : ''}${e.record.comment ? `: "${e.record.comment}"` : ''}`,
            },
          });
        }
        // Step escalations are told by their notice entry below.
        break;
      }
      case 'notice': {
        const key = r.notice.key;
        if (usedNotices.has(key)) break;
        const recipients = noticeRecipientUnits(r.notice).map(unit);
        const status = noticeStatus(r, key);
        const to = recipients.join(', ');
        const isEscalation = r.notice.kind === 'escalation';
        entries.push({
          ...base(r),
          kind: isEscalation ? 'escalation' : r.notice.kind === 'reminder' ? 'reminder' : 'notice',
          text: {
            vi: `${isEscalation ? `Báo cáo ${to}` : `Thông báo gửi ${to}`}: ${r.notice.subject} (${status.vi})`,
            en: `${isEscalation ? `Reported to ${to}` : `Notice to ${to}`}: ${r.notice.subject} (${status.en})`,
          },
          recipients,
          emailed: status.emailed,
        });
        break;
      }
      case 'child-started': {
        if (extracted.kind === 'assignment') break; // told by 'approval-opened'
        const isPeriod = extracted.kind === 'monthly-report';
        entries.push({
          ...base(r),
          kind: 'child-started',
          text: isPeriod
            ? { vi: `Mở kỳ báo cáo ${r.workflowId}`, en: `Report period ${r.workflowId} opened` }
            : { vi: `Khởi động phân công ${r.workflowId}`, en: `Assignment ${r.workflowId} started` },
        });
        break;
      }
      case 'report-period':
        entries.push({
          ...base(r),
          kind: 'report-period',
          text: { vi: `Kỳ báo cáo ${r.period.period}: hạn ${formatDate(r.period.deadline.effective)}`, en: `Report period ${r.period.period}: due ${formatDate(r.period.deadline.effective)}` },
        });
        break;
      case 'signal': {
        const payload = r.input as { reason?: string; assignmentId?: string; lifecycle?: string; actor?: Actor } | undefined;
        if (r.name === 'closePlan') {
          entries.push({ ...base(r), kind: 'plan-closing', text: { vi: `Đóng kế hoạch: ${payload?.reason ?? ''}`, en: `Plan closed: ${payload?.reason ?? ''}` } });
        } else if (r.name === 'assignmentClosed') {
          entries.push({
            ...base(r),
            kind: 'assignment-closed',
            text: { vi: `Phân công ${payload?.assignmentId} kết thúc (${payload?.lifecycle})`, en: `Assignment ${payload?.assignmentId} closed (${payload?.lifecycle})` },
          });
        } else if (r.name === 'cancel' && extracted.kind === 'monthly-report') {
          entries.push({ ...base(r), kind: 'cancelled', text: { vi: 'Dừng nghĩa vụ báo cáo', en: 'Reporting duty stopped' } });
        }
        break;
      }
      case 'closed': {
        const vi = {
          completed: 'Quy trình kết thúc',
          failed: 'Quy trình lỗi',
          cancelled: 'Quy trình bị hủy',
          terminated: 'Quy trình bị dừng cưỡng bức',
          'timed-out': 'Quy trình hết thời gian',
          'continued-as-new': 'Tiếp tục sang lượt chạy mới',
        }[r.status];
        const en = {
          completed: 'Workflow completed',
          failed: 'Workflow failed',
          cancelled: 'Workflow cancelled',
          terminated: 'Workflow terminated',
          'timed-out': 'Workflow timed out',
          'continued-as-new': 'Continued as a new run',
        }[r.status];
        entries.push({ ...base(r), kind: `workflow-${r.status}`, text: { vi: `${vi}${r.failure ? `: ${r.failure}` : ''}`, en: `${en}${r.failure ? `: ${r.failure}` : ''}` } });
        break;
      }
    }
  }
  return entries;
}

/**
 * Refused attempts as timeline entries (marked refused), placed after the last history
 * event that happened before them, so "state at this entry" shows what the person faced.
 */
export function refusalEntries(refusals: RefusalRecord[], runs: { runId: string; history: HistoryJson }[], dir: PeopleDirectory = payloadOnlyDirectory): TimelineEntry[] {
  return refusals.map((f) => {
    const at = Date.parse(f.at);
    let place = { runId: runs[0]?.runId ?? '', eventId: 0 };
    for (const run of runs) {
      for (const e of run.history.events) {
        if (Date.parse(e.eventTime) <= at) place = { runId: run.runId, eventId: Number(e.eventId) };
      }
    }
    const actor = dir.person({ userId: f.userId, name: f.name, unit: f.unit, roles: f.roles });
    return {
      eventId: place.eventId,
      at: f.at,
      kind: 'refused',
      refused: true,
      actor,
      text: {
        vi: `Từ chối thao tác của ${describePerson(actor)} lúc ${formatTime(f.at)} (${f.method} ${f.path}): ${f.code} — ${f.reason}`,
        en: `Refused ${describePerson(actor)} at ${formatTime(f.at)} (${f.method} ${f.path}): ${f.code} — ${f.reason}`,
      },
      workflowId: f.workflowId ?? '',
      runId: place.runId,
    };
  });
}

/** Entries of several workflows (an assignment and its approvals) in time order. */
export const mergeTimelines = (...lists: TimelineEntry[][]): TimelineEntry[] =>
  lists.flat().sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.workflowId === b.workflowId ? a.eventId - b.eventId : 0));

/** A file of a submission for the timeline: `name (size bytes, media type, SHA-256 hex)`, or `name (reference)`. */
export const describeAttachment = (a: Attachment): string =>
  a.sha256 ? `${a.name} (${a.size ?? '?'} bytes, ${a.mediaType ?? '?'}, SHA-256 ${a.sha256})` : `${a.name} (${a.ref})`;
