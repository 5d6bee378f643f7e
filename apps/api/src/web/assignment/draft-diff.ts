import { diffArrays, diffWordsWithSpace, type Change } from 'diff';
import { escapeHtml } from '../../common/app-error.filter';

/**
 * How two versions of a draft differ, for an approver reading them side by side: the texts
 * are cut into sentences (a line break always ends one), sentences are compared as wholes,
 * and only inside a sentence that was edited (not replaced) are words marked. Marking words
 * across two unrelated sentences gives "~~cho~~cơ ~~từng~~quan", which nobody can read.
 */

/** One row of the side-by-side view. `before` / `after` are HTML: escaped text with <del> / <ins>. */
export type DiffRow =
  | { kind: 'same'; before: string; after: string }
  | { kind: 'changed'; before: string; after: string }
  | { kind: 'removed'; before: string }
  | { kind: 'added'; after: string }
  /** Unchanged sentences left out between changes (the full text is on the page). */
  | { kind: 'skipped'; count: number };

export interface DraftDiff {
  rows: DiffRow[];
  changed: boolean;
}

/** Unchanged sentences shown around each change. */
const CONTEXT = 1;

/** Below this share of words in common, an edited sentence is shown as one removed and one added. */
const SIMILAR_ENOUGH = 0.5;

/**
 * A text as the sentences compared. NFC first: Vietnamese typed with a decomposed (NFD)
 * keyboard would otherwise differ in every accented word. Blank lines carry no words.
 */
export function sentencesOf(text: string): string[] {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .flatMap((line) => line.split(/(?<=[.!?…;])\s+(?=\S)/u))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function renderDraftDiff(previous: string, current: string): DraftDiff {
  const parts = diffArrays(sentencesOf(previous), sentencesOf(current));
  const rows: DiffRow[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (!part.added && !part.removed) {
      for (const s of part.value) rows.push({ kind: 'same', before: escapeHtml(s), after: escapeHtml(s) });
      continue;
    }
    // A removal next to an addition is an edit: pair them sentence by sentence.
    const next = parts[i + 1];
    const removed = part.removed ? part.value : next?.removed ? next.value : [];
    const added = part.added ? part.value : next?.added ? next.value : [];
    if (next && (next.added || next.removed) && next.added !== part.added) i++;
    for (let k = 0; k < Math.max(removed.length, added.length); k++) rows.push(...editRows(removed[k], added[k]));
  }
  return { rows: collapseUnchanged(rows), changed: rows.some((r) => r.kind !== 'same') };
}

function editRows(before: string | undefined, after: string | undefined): DiffRow[] {
  if (before === undefined) return [{ kind: 'added', after: `<ins>${escapeHtml(after!)}</ins>` }];
  if (after === undefined) return [{ kind: 'removed', before: `<del>${escapeHtml(before)}</del>` }];
  const words = diffWordsWithSpace(before, after);
  if (sharedShare(words, before, after) < SIMILAR_ENOUGH) {
    return [
      { kind: 'removed', before: `<del>${escapeHtml(before)}</del>` },
      { kind: 'added', after: `<ins>${escapeHtml(after)}</ins>` },
    ];
  }
  return [{ kind: 'changed', ...markWords(words) }];
}

/** The share of the longer sentence's letters that both sentences have in common. */
function sharedShare(words: Change[], before: string, after: string): number {
  const letters = (s: string) => s.replace(/\s+/g, '').length;
  const shared = words.filter((w) => !w.added && !w.removed).reduce((n, w) => n + letters(w.value), 0);
  return shared / Math.max(1, letters(before), letters(after));
}

/**
 * Word marks for an edited sentence. Changes separated only by spaces are one change, so
 * "cho từng" → "cơ quan" reads as one deletion and one insertion, not four alternating marks.
 */
function markWords(words: Change[]): { before: string; after: string } {
  let before = '';
  let after = '';
  let i = 0;
  while (i < words.length) {
    const w = words[i];
    if (!w.added && !w.removed) {
      before += escapeHtml(w.value);
      after += escapeHtml(w.value);
      i++;
      continue;
    }
    let del = '';
    let ins = '';
    while (i < words.length) {
      const x = words[i];
      const isGap = !x.added && !x.removed && /^\s+$/.test(x.value) && i + 1 < words.length && (words[i + 1].added || words[i + 1].removed);
      if (x.removed) del += x.value;
      else if (x.added) ins += x.value;
      else if (isGap) {
        del += x.value;
        ins += x.value;
      } else break;
      i++;
    }
    if (del.trim()) before += `<del>${escapeHtml(del)}</del>`;
    else before += escapeHtml(del);
    if (ins.trim()) after += `<ins>${escapeHtml(ins)}</ins>`;
    else after += escapeHtml(ins);
  }
  return { before, after };
}

/** Keeps CONTEXT unchanged sentences around each change; longer unchanged runs become one `skipped` row. */
function collapseUnchanged(rows: DiffRow[]): DiffRow[] {
  const near = rows.map((_, i) => rows.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).some((r) => r.kind !== 'same'));
  const out: DiffRow[] = [];
  for (const [i, row] of rows.entries()) {
    if (row.kind !== 'same' || near[i]) {
      out.push(row);
      continue;
    }
    const last = out.at(-1);
    if (last?.kind === 'skipped') last.count++;
    else out.push({ kind: 'skipped', count: 1 });
  }
  return out;
}
