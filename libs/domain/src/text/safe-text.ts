/**
 * What text the system can hold. PostgreSQL refuses NUL in text and jsonb (a projection that
 * writes one retries for ever), other C0 controls only garble pages and e-mail, and a lone
 * UTF-16 surrogate is silently replaced on the way into UTF-8. So these are refused at the
 * edge — the API, the web forms and the plan-file reader — with the same definition.
 */

export interface UnsafeCharacter {
  /** UTF-16 index in the string. */
  index: number;
  codePoint: number;
  kind: 'control' | 'lone-surrogate';
}

/**
 * The first character that may not be stored: a C0 control (U+0000–U+001F) or DEL (U+007F),
 * except tab, line feed and carriage return when `multiline`; or a lone surrogate.
 */
export function findUnsafeCharacter(value: string, options: { multiline: boolean }): UnsafeCharacter | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) {
      if (options.multiline && (c === 0x09 || c === 0x0a || c === 0x0d)) continue;
      return { index: i, codePoint: c, kind: 'control' };
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < value.length ? value.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return { index: i, codePoint: c, kind: 'lone-surrogate' };
    }
    if (c >= 0xdc00 && c <= 0xdfff) return { index: i, codePoint: c, kind: 'lone-surrogate' };
  }
  return undefined;
}

/** `U+0000`, the way the character is named in refusals. */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** An English reason, e.g. `contains a control character (U+0000) at position 4`. */
export function describeUnsafeCharacter(found: UnsafeCharacter): string {
  const what = found.kind === 'control' ? 'a control character' : 'an unpaired surrogate (not valid Unicode)';
  return `contains ${what} (${codePointLabel(found.codePoint)}) at position ${found.index + 1}`;
}
