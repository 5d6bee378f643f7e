import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../calendar/working-calendar';
import type { Lifecycle, SubmissionRecord } from '../assignment/assignment-state';
import type { Deadline } from '../assignment/assignment-spec';
import { STATUS_CODES, STATUS_COLOURS, STATUS_LABELS, assignmentStatus, statusClock, waitStatus, waitedOnStats, type StatusCode, type StatusState } from './assignment-status';

const calendar = createWorkingCalendar();
const deadline = (date: string): Deadline => ({ nominal: date, effective: date, dueAt: `${date}T23:59:59+07:00` });
const by = { userId: 'u1', name: 'Nguyễn Văn A', unit: 'BTC', roles: ['drafter'] };
const version = (v: number, at: string, outcome?: SubmissionRecord['outcome']): SubmissionRecord => ({ version: v, text: `v${v}`, attachments: [], by, at, outcome });
const state = (lifecycle: Lifecycle, due: string, submissions: SubmissionRecord[] = [], completedAt?: string): StatusState => ({
  lifecycle,
  deadline: deadline(due),
  submissions,
  completedAt,
});

// Deadline Friday 31/01/2020, just after Tết (23–29/01 off): three working days before it is 21/01.
const JAN31 = '2020-01-31';
const AT = {
  early: '2020-01-10T09:00:00+07:00',
  soon: '2020-01-21T00:00:00+07:00',
  lastSecond: '2020-01-31T23:59:59+07:00',
  after: '2020-02-03T09:00:00+07:00',
  muchLater: '2020-02-17T09:00:00+07:00',
} as const;
type When = keyof typeof AT;
const always = (code: StatusCode) => Object.fromEntries(Object.keys(AT).map((k) => [k, code])) as Record<When, StatusCode>;

/** Every lifecycle × deadline case: the expected status at each moment of AT. */
const TABLE: { name: string; state: StatusState; expected: Record<When, StatusCode> }[] = [
  {
    name: 'open, nothing submitted',
    state: state('open', JAN31),
    expected: { early: 'not-due', soon: 'due-soon', lastSecond: 'due-soon', after: 'overdue', muchLater: 'overdue' },
  },
  {
    name: 'open after a send-back that set a new deadline (14/02)',
    state: state('open', '2020-02-14', [version(1, '2020-01-20T10:00:00+07:00', 'request-changes')]),
    expected: { early: 'not-due', soon: 'not-due', lastSecond: 'not-due', after: 'not-due', muchLater: 'overdue' },
  },
  {
    name: 'open with an extension granted to 28/02',
    state: state('open', '2020-02-28'),
    expected: always('not-due'),
  },
  {
    name: 'awaiting approval, submitted on time: the clock stops while approvers hold it',
    state: state('awaiting-approval', JAN31, [version(1, '2020-01-20T10:00:00+07:00')]),
    expected: always('not-due'),
  },
  {
    name: 'awaiting approval, submitted late',
    state: state('awaiting-approval', JAN31, [version(1, '2020-02-01T00:00:00+07:00')]),
    expected: always('overdue'),
  },
  {
    name: 'done: submitted on time, approved after the deadline',
    state: state('done', JAN31, [version(1, '2020-01-20T10:00:00+07:00', 'approve')], '2020-02-10T09:00:00+07:00'),
    expected: always('done-on-time'),
  },
  {
    name: 'done: submitted in the deadline’s last second',
    state: state('done', JAN31, [version(1, '2020-01-31T23:59:59+07:00', 'approve')], '2020-02-03T09:00:00+07:00'),
    expected: always('done-on-time'),
  },
  {
    name: 'done: v1 on time, sent back, v2 approved four months after the new deadline',
    state: state(
      'done',
      '2020-02-14',
      [version(1, '2020-01-20T10:00:00+07:00', 'request-changes'), version(2, '2020-06-15T10:00:00+07:00', 'approve')],
      '2020-06-20T10:00:00+07:00',
    ),
    expected: always('done-late'),
  },
  {
    name: 'done: v1 late, sent back with a new deadline, v2 approved within it',
    state: state(
      'done',
      '2020-02-14',
      [version(1, '2020-02-03T10:00:00+07:00', 'request-changes'), version(2, '2020-02-12T10:00:00+07:00', 'approve')],
      '2020-02-13T10:00:00+07:00',
    ),
    expected: always('done-on-time'),
  },
  {
    name: 'done without a chain (a monthly report), a second late',
    state: state('done', JAN31, [version(1, '2020-02-01T00:00:00+07:00')], '2020-02-01T00:00:00+07:00'),
    expected: always('done-late'),
  },
  {
    name: 'rejected, though submitted on time',
    state: state('rejected', JAN31, [version(1, '2020-01-20T10:00:00+07:00', 'reject')], '2020-01-22T10:00:00+07:00'),
    expected: always('rejected'),
  },
  {
    name: 'cancelled after its deadline passed',
    state: state('cancelled', JAN31, [], '2020-02-05T10:00:00+07:00'),
    expected: always('cancelled'),
  },
];

describe('status taxonomy', () => {
  it('labels (the official Vietnamese words) and colours every status', () => {
    expect(STATUS_CODES.map((c) => STATUS_LABELS[c].vi)).toEqual([
      'Chưa đến hạn',
      'Sắp đến hạn',
      'Quá hạn',
      'Hoàn thành đúng hạn',
      'Hoàn thành quá hạn',
      'Đã hủy',
      'Không được phê duyệt',
    ]);
    for (const code of STATUS_CODES) {
      expect(STATUS_LABELS[code].en).not.toBe('');
      expect(STATUS_COLOURS[code]).toMatch(/^#[0-9A-F]{6}$/);
    }
  });
});

describe('assignmentStatus: every lifecycle × deadline case', () => {
  for (const row of TABLE) {
    for (const when of Object.keys(AT) as When[]) {
      it(`${row.name} — at ${when}: ${row.expected[when]}`, () => {
        expect(assignmentStatus(row.state, AT[when], calendar)).toBe(row.expected[when]);
      });
    }
  }

  it('begins "due soon" at the start of the third working day before, counting Tết as off', () => {
    expect(assignmentStatus(state('open', JAN31), '2020-01-20T23:59:59+07:00', calendar)).toBe('not-due');
    expect(assignmentStatus(state('open', JAN31), '2020-01-21T00:00:00+07:00', calendar)).toBe('due-soon');
  });

  it('takes a seconds threshold (second-scale tests)', () => {
    const s: StatusState = { lifecycle: 'open', deadline: { nominal: '2024-06-03', effective: '2024-06-03', dueAt: '2024-06-03T10:00:07+07:00' }, submissions: [] };
    expect(assignmentStatus(s, '2024-06-03T10:00:00+07:00', calendar, { seconds: 4 })).toBe('not-due');
    expect(assignmentStatus(s, '2024-06-03T10:00:03+07:00', calendar, { seconds: 4 })).toBe('due-soon');
    expect(assignmentStatus(s, '2024-06-03T10:00:08+07:00', calendar, { seconds: 4 })).toBe('overdue');
  });

  it('refuses a clock that is not an instant', () => {
    expect(() => statusClock('31/01/2020', calendar)).toThrow(RangeError);
  });
});

describe('waits: the lateness of whoever was waited on (issue 13)', () => {
  it("counts a step's lateness against the unit waited on", () => {
    const steps = [
      { unit: 'VP-TU', since: '2020-01-30T16:00:00+07:00', deadline: { dueAt: '2020-02-06T23:59:59+07:00' }, closedAt: '2020-02-05T09:00:00+07:00' },
      { unit: 'TT-TU', since: '2020-02-05T09:00:00+07:00', deadline: { dueAt: '2020-02-10T23:59:59+07:00' }, closedAt: '2020-02-12T09:00:00+07:00' },
      { unit: 'TT-TU', since: '2020-02-12T09:00:00+07:00', deadline: { dueAt: '2020-02-17T23:59:59+07:00' } },
      { unit: 'VP-TU', since: '2020-02-19T09:00:00+07:00', deadline: { dueAt: '2020-02-26T23:59:59+07:00' } },
      // An older step without a deadline has no timeliness.
      { unit: 'VP-TU', since: '2020-02-19T09:00:00+07:00' },
    ];
    const now = '2020-02-20T10:00:00+07:00';
    expect(waitStatus(steps[0]!, now, calendar)).toBe('done-on-time');
    expect(waitStatus(steps[1]!, now, calendar)).toBe('done-late');
    expect(waitStatus(steps[2]!, now, calendar)).toBe('overdue');
    expect(waitStatus(steps[3]!, now, calendar)).toBe('not-due');
    expect(waitStatus(steps[4]!, now, calendar)).toBeUndefined();
    expect(waitedOnStats(steps, now, calendar)).toEqual([
      { unit: 'VP-TU', total: 2, onTime: 1, late: 0, overdue: 0, waiting: 1 },
      { unit: 'TT-TU', total: 2, onTime: 0, late: 1, overdue: 1, waiting: 0 },
    ]);
  });
});
