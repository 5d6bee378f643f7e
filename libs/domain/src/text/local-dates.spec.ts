import { describe, expect, it } from 'vitest';
import { localiseDates } from './local-dates';

describe('localiseDates', () => {
  it('writes civil dates dd/mm/yyyy and instants dd/mm/yyyy HH:mm in Asia/Ho_Chi_Minh', () => {
    expect(localiseDates('Nhắc hạn: hạn 2026-11-30.')).toBe('Nhắc hạn: hạn 30/11/2026.');
    expect(localiseDates('nộp lúc 2020-01-31T17:05:00Z, hạn 2020-02-03')).toBe('nộp lúc 01/02/2020 00:05, hạn 03/02/2020');
    expect(localiseDates('gia hạn đến 2020-02-07T23:59:59+07:00')).toBe('gia hạn đến 07/02/2020 23:59');
  });

  it('leaves numbers that are not dates alone', () => {
    expect(localiseDates('Kế hoạch số 06-KH/TU, 2020-Q1, 12345-67-89')).toBe('Kế hoạch số 06-KH/TU, 2020-Q1, 12345-67-89');
  });
});
