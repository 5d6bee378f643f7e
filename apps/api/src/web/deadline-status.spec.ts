import { describe, expect, it } from 'vitest';
import { DeadlineStatus, formatDate, formatDateTime, localDate } from './deadline-status';
import { translator } from './i18n/i18n';
import { readableTextOn } from './web-pages';

const t = translator('vi');
type Lifecycle = 'open' | 'awaiting-approval' | 'done' | 'rejected' | 'cancelled';
const by = { userId: 'u1', name: 'A', unit: 'U', roles: ['drafter'] };
/** A read-model row: the view reads the reducer state, as every page does. */
const row = (effective: string, lifecycle: Lifecycle = 'open', submittedAt?: string, completedAt?: string) => ({
  effectiveDeadline: effective,
  completedAt: completedAt ? new Date(completedAt) : null,
  state: {
    lifecycle,
    deadline: { nominal: effective, effective, dueAt: `${effective}T23:59:59+07:00` },
    submissions: submittedAt ? [{ version: 1, text: 'v1', attachments: [], by, at: submittedAt, outcome: lifecycle === 'done' ? ('approve' as const) : undefined }] : [],
    completedAt,
  } as never,
});

describe('DeadlineStatus', () => {
  const status = new DeadlineStatus();

  it('counts working days left across Tết Canh Tý 2020 (two working days after the holiday)', () => {
    // Wednesday 22/01/2020, the last working day before Tết; deadline Friday 31/01/2020.
    const view = status.of(row('2020-01-31'), 'vi', t, new Date('2020-01-22T03:00:00Z'));
    expect(view.code).toBe('due-soon');
    expect(view.label).toBe('Sắp đến hạn');
    expect(view.timeText).toBe('còn 2 ngày làm việc');
  });

  it('says how many days overdue, and green when done on time', () => {
    expect(status.of(row('2020-01-31'), 'vi', t, new Date('2020-02-03T03:00:00Z')).timeText).toBe('quá hạn 3 ngày');
    const done = status.of(row('2020-01-31', 'done', '2020-01-31T09:00:00Z', '2020-01-31T09:00:00Z'), 'vi', t, new Date('2020-02-03T03:00:00Z'));
    expect(done.code).toBe('done-on-time');
    expect(done.colour).toBe('#2E7D32');
    expect(done.timeText).toBe('xong ngày 31/01/2020');
  });

  it('says when a waiting draft was submitted, and when a cancelled one closed', () => {
    const waiting = status.of(row('2020-01-31', 'awaiting-approval', '2020-01-30T09:00:00Z'), 'vi', t, new Date('2020-02-06T03:00:00Z'));
    expect(waiting.code).toBe('not-due');
    expect(waiting.timeText).toBe('đã trình ngày 30/01/2020, chờ phê duyệt');
    const cancelled = status.of(row('2020-01-31', 'cancelled', undefined, '2020-02-05T09:00:00Z'), 'en', translator('en'), new Date('2020-02-06T03:00:00Z'));
    expect(cancelled.label).toBe('Cancelled');
    expect(cancelled.timeText).toBe('closed 05/02/2020');
  });

  it('says "due today" on the last day', () => {
    expect(status.of(row('2020-01-31'), 'vi', t, new Date('2020-01-31T03:00:00Z')).timeText).toBe('hạn chót hôm nay');
  });
});

describe('dates in Asia/Ho_Chi_Minh', () => {
  it('writes dd/mm/yyyy and HH:mm in local time', () => {
    expect(formatDate('2020-02-29')).toBe('29/02/2020');
    expect(formatDate(new Date('2020-01-31T17:30:00Z'))).toBe('01/02/2020');
    expect(formatDateTime(new Date('2020-01-31T17:30:00Z'))).toBe('01/02/2020 00:30');
    expect(localDate(new Date('2020-01-31T17:30:00Z'))).toBe('2020-02-01');
  });
});

describe('readableTextOn', () => {
  it('puts black on amber and white on dark green', () => {
    expect(readableTextOn('#F9A825')).toBe('#000');
    expect(readableTextOn('#2E7D32')).toBe('#fff');
  });
});
