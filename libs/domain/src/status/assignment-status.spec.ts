import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../calendar/working-calendar';
import { STATUS_CODES, STATUS_COLOURS, STATUS_LABELS, classifyStatus } from './assignment-status';

const calendar = createWorkingCalendar();
const dueAt = '2020-01-31T23:59:59+07:00';

describe('status taxonomy', () => {
  it('labels and colours every status', () => {
    expect(STATUS_CODES).toHaveLength(6);
    for (const code of STATUS_CODES) {
      expect(STATUS_LABELS[code].vi).not.toBe('');
      expect(STATUS_LABELS[code].en).not.toBe('');
      expect(STATUS_COLOURS[code]).toMatch(/^#[0-9A-F]{6}$/);
    }
  });
});

describe('classifyStatus', () => {
  const at = (now: string, extra: Partial<Parameters<typeof classifyStatus>[0]> = {}) => classifyStatus({ started: false, dueAt, now, calendar, ...extra });

  it('is not started, then in progress, well before the deadline', () => {
    expect(at('2020-01-10T09:00:00+07:00')).toBe('not-started');
    expect(at('2020-01-10T09:00:00+07:00', { started: true })).toBe('in-progress');
  });

  it('is due soon from the start of the 3rd working day before the deadline (21/01/2020, Tết skipped)', () => {
    expect(at('2020-01-20T23:59:59+07:00', { started: true })).toBe('in-progress');
    expect(at('2020-01-21T00:00:00+07:00', { started: true })).toBe('due-soon');
    expect(at('2020-01-25T12:00:00+07:00')).toBe('due-soon');
  });

  it('turns overdue exactly when 31/01/2020 23:59:59 +07:00 has passed', () => {
    expect(at('2020-01-31T16:59:59Z', { started: true })).toBe('due-soon');
    expect(at('2020-01-31T17:00:00Z', { started: true })).toBe('overdue');
  });

  it('tells done on time from done late', () => {
    expect(at('2020-03-01T00:00:00Z', { started: true, completedAt: '2020-01-31T16:59:59Z' })).toBe('done-on-time');
    expect(at('2020-03-01T00:00:00Z', { started: true, completedAt: '2020-01-31T17:00:00Z' })).toBe('done-late');
  });

  it('accepts a threshold in seconds without a calendar', () => {
    const due = '2024-06-03T10:00:06+07:00';
    expect(classifyStatus({ started: true, dueAt: due, now: '2024-06-03T10:00:00+07:00', dueSoon: { seconds: 4 } })).toBe('in-progress');
    expect(classifyStatus({ started: true, dueAt: due, now: '2024-06-03T10:00:03+07:00', dueSoon: { seconds: 4 } })).toBe('due-soon');
  });
});
