import { describe, expect, it } from 'vitest';
import { renderDraftDiff } from './draft-diff';

describe('renderDraftDiff', () => {
  it('marks added and removed words and escapes the rest', () => {
    const { html, changed } = renderDraftDiff('Giải pháp: ba nhóm <b>', 'Giải pháp: bốn nhóm <b>');
    expect(changed).toBe(true);
    expect(html).toContain('<del>ba</del>');
    expect(html).toContain('<ins>bốn</ins>');
    expect(html).toContain('&lt;b&gt;');
  });

  it('sees no change between the same Vietnamese text typed composed (NFC) and decomposed (NFD)', () => {
    const text = 'Kế hoạch chi tiết thực hiện nhiệm vụ tập trung';
    expect(renderDraftDiff(text.normalize('NFD'), text.normalize('NFC')).changed).toBe(false);
  });
});
