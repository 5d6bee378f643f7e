import { describe, expect, it } from 'vitest';
import { codePointLabel, describeUnsafeCharacter, findUnsafeCharacter } from './safe-text';

describe('findUnsafeCharacter', () => {
  it('takes Vietnamese text, emoji (a surrogate pair) and, in free text, tabs and line breaks', () => {
    expect(findUnsafeCharacter('Dự thảo kế hoạch 😀\tđã sửa\r\nxong', { multiline: true })).toBeUndefined();
  });

  it('finds NUL, other C0 controls and DEL', () => {
    expect(findUnsafeCharacter('abc\u0000def', { multiline: true })).toEqual({ index: 3, codePoint: 0, kind: 'control' });
    expect(findUnsafeCharacter('a\u001bb', { multiline: true })?.codePoint).toBe(0x1b);
    expect(findUnsafeCharacter('a\u007f', { multiline: true })?.codePoint).toBe(0x7f);
  });

  it('refuses tabs and line breaks in single-line values (ids, names)', () => {
    expect(findUnsafeCharacter('a\nb', { multiline: false })).toEqual({ index: 1, codePoint: 10, kind: 'control' });
    expect(findUnsafeCharacter('a\tb', { multiline: false })?.codePoint).toBe(9);
  });

  it('finds lone surrogates, high or low, at the end or in the middle', () => {
    expect(findUnsafeCharacter('x\ud800', { multiline: true })).toEqual({ index: 1, codePoint: 0xd800, kind: 'lone-surrogate' });
    expect(findUnsafeCharacter('\udc00x', { multiline: true })?.kind).toBe('lone-surrogate');
    expect(findUnsafeCharacter('\ud800\ud800\udc00', { multiline: true })?.index).toBe(0);
  });

  it('names what it found', () => {
    expect(codePointLabel(0)).toBe('U+0000');
    expect(describeUnsafeCharacter({ index: 3, codePoint: 0, kind: 'control' })).toBe('contains a control character (U+0000) at position 4');
  });
});
