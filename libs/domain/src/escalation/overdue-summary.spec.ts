import { describe, expect, it } from 'vitest';
import { nextSummaryAt, overdueSummary, weekLabel } from './overdue-summary';

const zone = 'Asia/Ho_Chi_Minh';

describe('overdueSummary', () => {
  it('names the ISO week as offices do and counts items by level, highest first', () => {
    // Monday 27/01/2020 08:00 in Hà Nội is in ISO week 5 of 2020.
    expect(weekLabel('2020-01-27T01:00:00Z', zone)).toBe('tuần 05/2020');
    // Sunday 26/01 23:30 local is still week 4, although UTC says Sunday 16:30 too.
    expect(weekLabel('2020-01-26T16:30:00Z', zone)).toBe('tuần 04/2020');
    const items = [
      { assignmentId: 'a', title: 'Báo cáo FT2', level: 1 },
      { assignmentId: 'b', title: 'Kế hoạch BT1', level: 3 },
      { assignmentId: 'c', title: 'Kế hoạch FT1', level: 3 },
    ];
    const summary = overdueSummary(items, '2020-01-27T01:00:00Z', zone);
    expect(summary.subject).toBe('Tổng hợp nhiệm vụ quá hạn tuần 05/2020 (3 nhiệm vụ)');
    expect(summary.byLevel).toEqual([
      { level: 3, count: 2 },
      { level: 1, count: 1 },
    ]);
    expect(summary.body.split('\n')).toEqual([
      '3 nhiệm vụ còn quá hạn (cấp 3: 2; cấp 1: 1).',
      '',
      '- [cấp 3] Kế hoạch BT1 (b)',
      '- [cấp 3] Kế hoạch FT1 (c)',
      '- [cấp 1] Báo cáo FT2 (a)',
    ]);
  });

  it('names what each overdue wait waits for, and counts waits apart from assignments', () => {
    const summary = overdueSummary(
      [
        { assignmentId: 'a', title: 'Báo cáo FT2', level: 1 },
        { assignmentId: 'b', title: 'Kế hoạch BT1', level: 2, waiting: 'extension-decision' as const },
        { assignmentId: 'b', title: 'Kế hoạch BT1', level: 0, waiting: 'coordination-comment' as const },
      ],
      '2020-01-27T01:00:00Z',
      zone,
    );
    expect(summary.subject).toBe('Tổng hợp nhiệm vụ quá hạn tuần 05/2020 (1 nhiệm vụ, 2 việc chờ đơn vị xử lý)');
    expect(summary.body.split('\n')).toEqual([
      '1 nhiệm vụ và 2 việc chờ đơn vị xử lý còn quá hạn (cấp 2: 1; cấp 1: 1; cấp 0: 1).',
      '',
      '- [cấp 2] Chờ quyết định gia hạn: Kế hoạch BT1 (b)',
      '- [cấp 1] Báo cáo FT2 (a)',
      '- [cấp 0] Chờ ý kiến đơn vị phối hợp: Kế hoạch BT1 (b)',
    ]);
  });
});

describe('nextSummaryAt', () => {
  it('is weekly by default: the next Monday at the notice time, local', () => {
    // Wednesday 29/01/2020 -> Monday 03/02/2020 08:00 +07:00.
    expect(nextSummaryAt('2020-01-29T03:00:00Z', {}, '08:00', zone)).toBe('2020-02-03T08:00:00+07:00');
    // Monday 03/02 07:00 local -> the same Monday 08:00; at 08:00 itself -> the next Monday.
    expect(nextSummaryAt('2020-02-03T00:00:00Z', {}, '08:00', zone)).toBe('2020-02-03T08:00:00+07:00');
    expect(nextSummaryAt('2020-02-03T01:00:00Z', {}, '08:00', zone)).toBe('2020-02-10T08:00:00+07:00');
  });

  it('takes seconds for test schedules', () => {
    expect(nextSummaryAt('2020-02-03T01:00:00Z', { everySeconds: 6 }, '08:00', zone)).toBe('2020-02-03T08:00:06+07:00');
  });
});
