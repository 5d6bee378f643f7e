import { describe, expect, it } from 'vitest';
import { checkExtensionDecision, checkExtensionRequest, parseDayMonthYear, parseMonth } from './extension-form';
import { translator } from '../i18n/i18n';

const t = translator('vi');

describe('extension forms', () => {
  it('reads dates the Vietnamese way and refuses days that do not exist', () => {
    expect(parseDayMonthYear('31/03/2020')).toBe('2020-03-31');
    expect(parseDayMonthYear(' 1/4/2020 ')).toBe('2020-04-01');
    expect(parseDayMonthYear('29/02/2020')).toBe('2020-02-29');
    expect(parseDayMonthYear('29/02/2021')).toBeUndefined();
    expect(parseDayMonthYear('2020-03-31')).toBeUndefined();
    expect(parseDayMonthYear('31/13/2020')).toBeUndefined();
  });

  it('reads a report month as yyyy-mm or mm/yyyy', () => {
    expect(parseMonth('2020-03')).toBe('2020-03');
    expect(parseMonth('3/2020')).toBe('2020-03');
    expect(parseMonth('2020-13')).toBeUndefined();
    expect(parseMonth(undefined)).toBeUndefined();
  });

  it('names the field of each problem in a request, and converts the date', () => {
    expect(checkExtensionRequest({ reason: 'Chờ hướng dẫn của Trung ương', proposedDate: '31/03/2020' }, '2020-03-02', t)).toEqual({
      ok: true,
      value: { reason: 'Chờ hướng dẫn của Trung ương', proposedDate: '2020-03-31' },
    });
    const bad = checkExtensionRequest({ reason: ' x ', proposedDate: '31/02/2020' }, '2020-03-02', t);
    expect(bad.ok).toBe(false);
    expect(Object.keys(!bad.ok ? bad.errors : {}).sort()).toEqual(['proposedDate', 'reason']);
    const early = checkExtensionRequest({ reason: 'Lý do đủ dài', proposedDate: '02/03/2020' }, '2020-03-02', t);
    expect(!early.ok && early.errors.proposedDate).toContain('02/03/2020');
  });

  it('needs a comment to refuse, and a later date to grant to another date', () => {
    expect(checkExtensionDecision({ decision: 'refuse', comment: '' }, '2020-03-02', t)).toMatchObject({ ok: false, errors: { comment: expect.any(String) } });
    expect(checkExtensionDecision({ decision: 'grant', comment: '', date: '' }, '2020-03-02', t)).toEqual({ ok: true, value: { granted: true, comment: '' } });
    expect(checkExtensionDecision({ decision: 'grant', comment: 'Đồng ý', date: '15/04/2020' }, '2020-03-02', t)).toEqual({
      ok: true,
      value: { granted: true, comment: 'Đồng ý', date: '2020-04-15' },
    });
    expect(checkExtensionDecision({ decision: 'grant', date: '1/3/2020' }, '2020-03-02', t)).toMatchObject({ ok: false, errors: { date: expect.any(String) } });
    // A date typed next to "refuse" is not a grant; it is ignored rather than refused.
    expect(checkExtensionDecision({ decision: 'refuse', comment: 'Chưa đủ căn cứ', date: 'abc' }, '2020-03-02', t)).toMatchObject({ ok: true });
  });
});
