import { describe, expect, it } from 'vitest';
import { DeadlineStatus, formatDate, formatDateTime, localDate } from './deadline-status';
import { translator } from './i18n/i18n';
import { readableTextOn } from './web-pages';

const t = translator('vi');
type Extra = Partial<{ lifecycle: string; submissionCount: number; firstSubmittedAt: Date | null; completedAt: Date | null }>;
const row = (effective: string, extra: Extra = {}) => ({
  effectiveDeadline: effective,
  dueAt: new Date(`${effective}T23:59:59+07:00`),
  lifecycle: 'open',
  submissionCount: 0,
  firstSubmittedAt: null,
  completedAt: null,
  ...extra,
});

describe('DeadlineStatus', () => {
  const status = new DeadlineStatus();

  it('counts working days left across Tết Canh Tý 2020 (two working days after the holiday)', () => {
    // Wednesday 22/01/2020, the last working day before Tết; deadline Friday 31/01/2020.
    const view = status.of(row('2020-01-31'), 'vi', t, new Date('2020-01-22T03:00:00Z'));
    expect(view.code).toBe('due-soon');
    expect(view.timeText).toBe('còn 2 ngày làm việc');
  });

  it('says how many days overdue, and green when done on time', () => {
    expect(status.of(row('2020-01-31'), 'vi', t, new Date('2020-02-03T03:00:00Z')).timeText).toBe('quá hạn 3 ngày');
    const done = status.of(
      row('2020-01-31', { lifecycle: 'done', submissionCount: 1, firstSubmittedAt: new Date('2020-01-31T09:00:00Z'), completedAt: new Date('2020-01-31T09:00:00Z') }),
      'vi',
      t,
      new Date('2020-02-03T03:00:00Z'),
    );
    expect(done.code).toBe('done-on-time');
    expect(done.colour).toBe('#2E7D32');
    expect(done.timeText).toBe('xong ngày 31/01/2020');
    // Submitted in time, approved after the deadline: the unit was on time.
    const approvedLate = status.of(
      row('2020-01-31', { lifecycle: 'done', submissionCount: 1, firstSubmittedAt: new Date('2020-01-30T09:00:00Z'), completedAt: new Date('2020-02-05T09:00:00Z') }),
      'vi',
      t,
      new Date('2020-02-06T03:00:00Z'),
    );
    expect(approvedLate.code).toBe('done-on-time');
    const submittedLate = status.of(
      row('2020-01-31', { lifecycle: 'done', submissionCount: 1, firstSubmittedAt: new Date('2020-02-01T09:00:00Z'), completedAt: new Date('2020-02-01T09:00:00Z') }),
      'vi',
      t,
      new Date('2020-02-06T03:00:00Z'),
    );
    expect(submittedLate.code).toBe('done-late');
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
