import { describe, expect, it } from 'vitest';
import { renderDraftDiff, sentencesOf, type DiffRow } from './draft-diff';

const kinds = (rows: DiffRow[]) => rows.map((r) => r.kind);

describe('sentencesOf', () => {
  it('cuts at sentence ends and at every line break, and drops blank lines', () => {
    expect(sentencesOf('Mục tiêu: thu hút đầu tư. Giải pháp: ba nhóm!\n\nKết luận; tiếp theo\r\nDòng cuối')).toEqual([
      'Mục tiêu: thu hút đầu tư.',
      'Giải pháp: ba nhóm!',
      'Kết luận;',
      'tiếp theo',
      'Dòng cuối',
    ]);
  });
});

describe('renderDraftDiff', () => {
  it('marks the words changed inside an edited sentence, side by side, and escapes the rest', () => {
    const { rows, changed } = renderDraftDiff('Giải pháp: ba nhóm <b>.', 'Giải pháp: bốn nhóm <b>.');
    expect(changed).toBe(true);
    expect(rows).toEqual([{ kind: 'changed', before: 'Giải pháp: <del>ba</del> nhóm &lt;b&gt;.', after: 'Giải pháp: <ins>bốn</ins> nhóm &lt;b&gt;.' }]);
  });

  it('reads neighbouring word changes as one change, not alternating marks ("~~cho~~cơ ~~từng~~quan")', () => {
    const { rows } = renderDraftDiff('Giao nhiệm vụ cho từng đơn vị trong tỉnh.', 'Giao nhiệm vụ cơ quan đơn vị trong tỉnh.');
    expect(rows).toEqual([
      { kind: 'changed', before: 'Giao nhiệm vụ <del>cho từng</del> đơn vị trong tỉnh.', after: 'Giao nhiệm vụ <ins>cơ quan</ins> đơn vị trong tỉnh.' },
    ]);
  });

  it('shows a sentence replaced by an unrelated one as removed and added, with no word marks inside', () => {
    const { rows } = renderDraftDiff('Mục tiêu: thu hút đầu tư.', 'Phạm vi áp dụng toàn tỉnh từ năm 2021.');
    expect(rows).toEqual([
      { kind: 'removed', before: '<del>Mục tiêu: thu hút đầu tư.</del>' },
      { kind: 'added', after: '<ins>Phạm vi áp dụng toàn tỉnh từ năm 2021.</ins>' },
    ]);
  });

  it('lists sentences added and removed as wholes, keeping one unchanged sentence around each change', () => {
    const before = ['Một.', 'Hai.', 'Ba.', 'Bốn.', 'Năm.', 'Sáu.'].join(' ');
    const after = ['Một.', 'Hai.', 'Ba.', 'Bốn.', 'Năm.', 'Sáu.', 'Bảy mới.'].join('\n');
    const { rows } = renderDraftDiff(before, after);
    expect(kinds(rows)).toEqual(['skipped', 'same', 'added']);
    expect(rows[0]).toEqual({ kind: 'skipped', count: 5 });
    const removed = renderDraftDiff('Một. Hai. Ba.', 'Một. Ba.').rows;
    expect(removed).toEqual([
      { kind: 'same', before: 'Một.', after: 'Một.' },
      { kind: 'removed', before: '<del>Hai.</del>' },
      { kind: 'same', before: 'Ba.', after: 'Ba.' },
    ]);
  });

  it('sees no change between the same Vietnamese text typed composed (NFC) and decomposed (NFD), or re-wrapped', () => {
    const text = 'Kế hoạch chi tiết thực hiện nhiệm vụ tập trung. Mục tiêu: thu hút đầu tư.';
    expect(renderDraftDiff(text.normalize('NFD'), text.normalize('NFC')).changed).toBe(false);
    expect(renderDraftDiff(text, text.replace('. ', '.\n\n')).changed).toBe(false);
  });
});
