import { describe, expect, it } from 'vitest';
import { checkCitation } from './citation';

describe('citing the plan a concretisation carries out', () => {
  const real = { mustCite: '12-KH/TU' };
  const assumed = { mustCite: 'CHUA-RO-SO-KH/TU', mustCiteAssumed: true };

  it('a number read from the document must be cited as it is', () => {
    expect(checkCitation(real, ' 12-KH/TU ')).toEqual({ ok: true });
    expect(checkCitation(real, '13-KH/TU').ok).toBe(false);
    expect(checkCitation(real, undefined).ok).toBe(false);
    expect(checkCitation({}, undefined)).toEqual({ ok: true });
  });

  it('where the number is assumed, the real one is accepted and flagged; the placeholder still is; anything else is not', () => {
    expect(checkCitation(assumed, '12-KH/TU')).toEqual({ ok: true, mismatch: '12-KH/TU' });
    expect(checkCitation(assumed, '05-CTr/TU')).toEqual({ ok: true, mismatch: '05-CTr/TU' });
    expect(checkCitation(assumed, 'CHUA-RO-SO-KH/TU')).toEqual({ ok: true });
    // Written as people write it (see citesPlanNumber): the number is read out of the sentence.
    expect(checkCitation(assumed, 'Kế hoạch số 12 – KH/TU ngày 10/01/2020')).toEqual({ ok: true, mismatch: '12-KH/TU' });
    expect(checkCitation(assumed, 'kế hoạch số chua-ro-so-kh/tu')).toEqual({ ok: true });
    for (const bad of ['', 'số 12', 'KH/TU', '12 KH/TU', '112345678-KH/TU']) {
      const r = checkCitation(assumed, bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/phải dẫn số kế hoạch .* \/ a concretisation plan must cite/);
    }
  });
});
