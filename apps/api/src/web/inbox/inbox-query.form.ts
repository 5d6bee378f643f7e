import { STATUS_CODES, isStatusCode, type StatusCode } from '@dieu-hanh/domain';
import { ASSIGNMENT_KINDS } from '@dieu-hanh/domain/assignment';

/**
 * The inbox's queues, one per kind of work a role is asked to do. Which ones a person sees
 * follows from their roles (`queuesFor`); the page opens on the first.
 */
export const QUEUES = ['sent-back', 'todo', 'submitted', 'approvals', 'received', 'extensions', 'difficulties', 'escalations', 'unit-escalated', 'comments', 'all'] as const;
export type QueueId = (typeof QUEUES)[number];

export const SORTS = ['deadline', '-deadline', 'status', 'unit', '-updated'] as const;
export type InboxSort = (typeof SORTS)[number];

export const PAGE_SIZES = [25, 50, 100] as const;

export interface InboxFilters {
  plan?: string;
  kind?: string;
  status?: StatusCode;
  unit?: string;
  /** yyyy-mm: the month the deadline in force falls in (a monthly report's period). */
  period?: string;
}

export interface InboxQuery extends InboxFilters {
  queue: QueueId;
  sort: InboxSort;
  page: number;
  pageSize: number;
}

/** A field the inbox refused, with the i18n key of the reason (the page says it in the reader's language). */
export interface InboxFieldError {
  field: keyof InboxQuery;
  reason: string;
}

const one = (v: unknown): string | undefined => {
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
};

/**
 * Reads the inbox's query string strictly: an unknown queue, status, kind or sort, a period
 * that is not yyyy-mm or a page that is not a whole number comes back as a field error, so
 * the page says what was wrong instead of guessing.
 */
export function parseInboxQuery(raw: Record<string, unknown>, queues: readonly QueueId[]): { query: InboxQuery; errors: InboxFieldError[] } {
  const errors: InboxFieldError[] = [];
  const pick = <T extends string>(field: keyof InboxQuery, allowed: readonly T[], fallback: T): T => {
    const v = one(raw[field]);
    if (v === undefined) return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    errors.push({ field, reason: 'inbox.error.choice' });
    return fallback;
  };
  const queue = pick('queue', queues, queues[0] ?? 'all');
  const sort = pick('sort', SORTS, queue === 'difficulties' ? '-updated' : 'deadline');
  const query: InboxQuery = { queue, sort, page: 1, pageSize: 50 };

  const text = (field: 'plan' | 'unit') => {
    const v = one(raw[field]);
    if (v === undefined) return;
    if (v.length > 200 || [...v].some((ch) => ch.charCodeAt(0) < 0x20)) errors.push({ field, reason: 'inbox.error.text' });
    else query[field] = v;
  };
  text('plan');
  text('unit');
  const kind = one(raw.kind);
  if (kind !== undefined) {
    if ((ASSIGNMENT_KINDS as readonly string[]).includes(kind)) query.kind = kind;
    else errors.push({ field: 'kind', reason: 'inbox.error.choice' });
  }
  const status = one(raw.status);
  if (status !== undefined) {
    if (isStatusCode(status)) query.status = status;
    else errors.push({ field: 'status', reason: 'inbox.error.choice' });
  }
  const period = one(raw.period);
  if (period !== undefined) {
    const m = /^(\d{4})-(\d{2})$/.exec(period);
    if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) query.period = period;
    else errors.push({ field: 'period', reason: 'inbox.error.period' });
  }
  const whole = (field: 'page' | 'pageSize', ok: (n: number) => boolean) => {
    const v = one(raw[field]);
    if (v === undefined) return;
    const n = /^\d{1,6}$/.test(v) ? Number(v) : NaN;
    if (ok(n)) query[field] = n;
    else errors.push({ field, reason: field === 'page' ? 'inbox.error.page' : 'inbox.error.choice' });
  };
  whole('page', (n) => n >= 1);
  whole('pageSize', (n) => (PAGE_SIZES as readonly number[]).includes(n));
  return { query, errors };
}

/** The query string of `query` with `change` applied (links for paging, sorting, queues). */
export function inboxHref(query: InboxQuery, change: Partial<InboxQuery>): string {
  const next = { ...query, ...change };
  const params = new URLSearchParams();
  for (const key of ['queue', 'plan', 'kind', 'status', 'unit', 'period', 'sort', 'page', 'pageSize'] as const) {
    const v = next[key];
    if (v !== undefined && v !== '') params.set(key, String(v));
  }
  return `/?${params.toString()}`;
}

export const STATUS_OPTIONS = STATUS_CODES;
export const KIND_OPTIONS = ASSIGNMENT_KINDS;
