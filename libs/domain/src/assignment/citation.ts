import { citesPlanNumber } from './plan-citation';

/**
 * The shape of a Party document number as units write it: "12-KH/TU", "05-CTr/TU",
 * "123-NQ/TU" (number, kind, issuer). Used only to accept a real number in place of a
 * plan number the plan file marks as assumed.
 */
export const DOCUMENT_NUMBER_SHAPE = /^\d{1,5}-[A-Za-zĐđ]{2,8}\/[A-Za-zĐđ]{2,8}$/;
/** The same shape found inside what a unit typed ("Kế hoạch số 12 - KH/TU ngày …"). */
const DOCUMENT_NUMBER_IN_TEXT = /(?<![\p{L}\p{N}])(\d{1,5})\s*[-\u2010-\u2015\u2212]\s*([A-Za-zĐđ]{2,8})\s*\/\s*([A-Za-zĐđ]{2,8})(?![\p{L}\p{N}])/u;

export type CitationCheck = { ok: true; mismatch?: string } | { ok: false; message: string };

/**
 * Whether a submission cites the plan it carries out. A plan number read from the document
 * must be cited (however it is written: see citesPlanNumber). A number the plan file marks as assumed (a placeholder) may be
 * cited, or the real number the unit has in hand: that is accepted and returned as
 * `mismatch`, so the Standing Office can correct the plan.
 */
export function checkCitation(spec: { mustCite?: string; mustCiteAssumed?: boolean }, cites: string | undefined): CitationCheck {
  if (spec.mustCite === undefined) return { ok: true };
  if (citesPlanNumber(cites, spec.mustCite)) return { ok: true };
  const found = DOCUMENT_NUMBER_IN_TEXT.exec(cites?.normalize('NFC') ?? '');
  if (spec.mustCiteAssumed && found) return { ok: true, mismatch: `${found[1]}-${found[2]}/${found[3]}` };
  return {
    ok: false,
    message: spec.mustCiteAssumed
      ? `phải dẫn số kế hoạch (số thật, ví dụ 12-KH/TU, hoặc ${spec.mustCite}) / a concretisation plan must cite the plan's number (the real one, e.g. 12-KH/TU, or ${spec.mustCite})`
      : `a concretisation plan must cite plan ${spec.mustCite}`,
  };
}
