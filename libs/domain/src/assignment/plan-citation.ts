/**
 * Whether the number a unit typed cites the plan it carries out. People write the same
 * number in several ways: "06-KH/TU", "Kế hoạch số 06-KH/TU ngày 10/01/2020", "06 - KH/TU",
 * "06–KH/TU" (an en dash from a word processor), lower case, decomposed Vietnamese letters.
 * All of these cite 06-KH/TU; "6-KH/TU" or "106-KH/TU" do not (the number must stand on its own).
 */
export function citesPlanNumber(cited: string | undefined, planNumber: string): boolean {
  if (cited === undefined) return false;
  const wanted = normalise(planNumber);
  if (wanted === '') return false;
  const text = normalise(cited);
  let from = 0;
  for (;;) {
    const at = text.indexOf(wanted, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : text[at - 1];
    const after = text[at + wanted.length] ?? '';
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) return true;
    from = at + 1;
  }
}

function normalise(s: string): string {
  return s
    .normalize('NFC')
    .toUpperCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s*([-/])\s*/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
