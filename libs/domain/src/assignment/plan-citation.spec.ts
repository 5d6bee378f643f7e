import { describe, expect, it } from 'vitest';
import { citesPlanNumber } from './plan-citation';

describe('citesPlanNumber', () => {
  it.each([
    '06-KH/TU',
    ' 06-KH/TU ',
    'Kế hoạch số 06-KH/TU ngày 10/01/2020 của Ban Thường vụ Tỉnh ủy',
    '06 - KH / TU',
    '06–KH/TU',
    '06-kh/tu',
    'Số 06-KH/TU.',
  ])('accepts "%s" as citing 06-KH/TU', (typed) => {
    expect(citesPlanNumber(typed, '06-KH/TU')).toBe(true);
  });

  it.each(['6-KH/TU', '106-KH/TU', '06-KH/TUX', '', '07-KH/TU'])('refuses "%s"', (typed) => {
    expect(citesPlanNumber(typed, '06-KH/TU')).toBe(false);
  });

  it('refuses a missing citation', () => {
    expect(citesPlanNumber(undefined, '06-KH/TU')).toBe(false);
  });
});
