import { DateTime } from 'luxon';
import type { SummaryRule } from './escalation-policy.schema';
import type { WaitKind } from '../assignment/waits';

/**
 * One item still overdue for a recipient, at the highest level that recipient was told of:
 * an assignment, or (`waiting`) something of it that waits on the recipient's unit past its
 * deadline, at that wait's level.
 */
export interface OverdueItem {
  assignmentId: string;
  title: string;
  level: number;
  waiting?: WaitKind;
}

/** What an overdue wait waits for, in the summary's words. */
export const OVERDUE_WAIT_LABELS: Record<WaitKind, string> = {
  'approval-step': 'Chờ phê duyệt',
  'extension-decision': 'Chờ quyết định gia hạn',
  'difficulty-answer': 'Chờ trả lời khó khăn, vướng mắc',
  'coordination-comment': 'Chờ ý kiến đơn vị phối hợp',
};

export interface OverdueSummary {
  subject: string;
  body: string;
  /** Items per escalation level, highest first. */
  byLevel: { level: number; count: number }[];
}

/** "tuần 05/2020": the ISO week of `at` in the plan's zone, as offices name weeks. */
export function weekLabel(at: string, timeZone: string): string {
  const dt = DateTime.fromISO(at, { setZone: true }).setZone(timeZone);
  return `tuần ${String(dt.weekNumber).padStart(2, '0')}/${dt.weekYear}`;
}

/**
 * The one summary a recipient gets per period instead of a notice per item: every item
 * still overdue for them (assignments, and what waits on them past its deadline), counted
 * by level, the highest levels first.
 */
export function overdueSummary(items: readonly OverdueItem[], periodAt: string, timeZone: string): OverdueSummary {
  const levels = new Map<number, number>();
  for (const item of items) levels.set(item.level, (levels.get(item.level) ?? 0) + 1);
  const byLevel = [...levels].map(([level, count]) => ({ level, count })).sort((a, b) => b.level - a.level);
  const sorted = [...items].sort((a, b) => b.level - a.level || a.title.localeCompare(b.title, 'vi'));
  const counts = byLevel.map((l) => `cấp ${l.level}: ${l.count}`).join('; ');
  const waits = items.filter((i) => i.waiting).length;
  const assignments = items.length - waits;
  const what = [assignments || !waits ? `${assignments} nhiệm vụ` : '', waits ? `${waits} việc chờ đơn vị xử lý` : ''].filter(Boolean);
  const line = (i: OverdueItem) => `- [cấp ${i.level}] ${i.waiting ? `${OVERDUE_WAIT_LABELS[i.waiting]}: ` : ''}${i.title} (${i.assignmentId})`;
  return {
    subject: `Tổng hợp nhiệm vụ quá hạn ${weekLabel(periodAt, timeZone)} (${what.join(', ')})`,
    body: [`${what.join(' và ')} còn quá hạn (${counts}).`, '', ...sorted.map(line)].join('\n'),
    byLevel,
  };
}

/** When the next summary is due after `after`: `everySeconds` later, or the next Monday at `noticeTime`. */
export function nextSummaryAt(after: string, rule: SummaryRule, noticeTime: string, timeZone: string): string {
  const from = DateTime.fromISO(after, { setZone: true }).setZone(timeZone);
  if (rule.everySeconds !== undefined) return from.plus({ seconds: rule.everySeconds }).toISO({ suppressMilliseconds: true }) as string;
  const [hour, minute] = noticeTime.split(':').map(Number);
  let next = from.startOf('week').set({ hour, minute });
  while (next <= from) next = next.plus({ weeks: 1 });
  return next.toISO({ suppressMilliseconds: true }) as string;
}
