import { diffWordsWithSpace } from 'diff';
import { escapeHtml } from '../common/app-error.filter';

/**
 * A word-level diff of two draft versions as HTML: <ins> for added, <del> for removed, the
 * rest escaped. Texts are NFC-normalised first: Vietnamese typed with a decomposed (NFD)
 * keyboard would otherwise show every accented word as changed.
 */
export function renderDraftDiff(previous: string, current: string): { html: string; changed: boolean } {
  const parts = diffWordsWithSpace(previous.normalize('NFC'), current.normalize('NFC'));
  let changed = false;
  const html = parts
    .map((part) => {
      const text = escapeHtml(part.value);
      if (part.added) {
        changed = true;
        return `<ins>${text}</ins>`;
      }
      if (part.removed) {
        changed = true;
        return `<del>${text}</del>`;
      }
      return text;
    })
    .join('');
  return { html, changed };
}
