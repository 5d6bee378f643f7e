import { describe, expect, it } from 'vitest';
import { isIsoDate } from './iso-date';

describe('isIsoDate: the one strict date check', () => {
  it.each(['2020-01-31', '2020-02-29', '2024-02-29', '1999-12-31', '9999-12-31'])('takes %s', (value) => {
    expect(isIsoDate(value)).toBe(true);
  });

  it.each([
    '2020-02-31',
    '2021-02-29',
    '2020-13-01',
    '2020-00-10',
    '2020-04-31',
    '2020-01-00',
    '2020-1-5',
    '20-01-05',
    '2020/01/05',
    '05/01/2020',
    '2020-01-05T00:00:00Z',
    ' 2020-01-05',
    '2020-01-05\u0000',
    '0000-01-01',
    '0202-01-01',
    '+02020-01-01',
    '2020-W01-1',
    '',
  ])('refuses %j', (value) => {
    expect(isIsoDate(value)).toBe(false);
  });

  it('refuses what is not a string', () => {
    for (const value of [undefined, null, 20200105, ['2020-01-05'], { date: '2020-01-05' }]) expect(isIsoDate(value)).toBe(false);
  });
});
