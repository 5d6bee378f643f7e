import { describe, expect, it } from 'vitest';
import { compareAttachments, extensionFits, formatBytes, storedFileId, storedFileRef } from './attachment';
import type { Attachment } from './assignment-events';

const stored = (name: string, sha: string, id = sha.slice(0, 8)): Attachment => ({ name, ref: storedFileRef(id), sha256: sha.repeat(64 / sha.length), size: 10, mediaType: 'application/pdf' });

describe('attachments', () => {
  it('tells a stored file (file:<id> with a hash) from a reference typed by hand', () => {
    expect(storedFileId(stored('a.pdf', 'ab', 'f-1'))).toBe('f-1');
    expect(storedFileId({ name: 'a.pdf', ref: 'file:123' })).toBeUndefined();
    expect(storedFileId({ name: 'a.pdf', ref: 'vbdh://2020/1' })).toBeUndefined();
  });

  it('checks a name ending against the media type read from the content', () => {
    expect(extensionFits('Kế hoạch.PDF', 'application/pdf')).toBe(true);
    expect(extensionFits('anh.jpeg', 'image/jpeg')).toBe(true);
    expect(extensionFits('anh.png', 'image/jpeg')).toBe(false);
    expect(extensionFits('khong-duoi', 'application/pdf')).toBe(false);
    expect(extensionFits('a.exe', 'application/x-msdownload')).toBe(false);
  });

  it('lists files added, removed and changed (by hash) between two versions', () => {
    const before = [stored('du-thao.pdf', 'a1'), stored('phu-luc.xlsx', 'b2'), stored('cu.png', 'c3'), { name: 'Công văn', ref: 'vbdh://1' }];
    const after = [stored('du-thao.pdf', 'd4'), stored('phu-luc.xlsx', 'b2'), stored('moi.odt', 'e5'), { name: 'Công văn', ref: 'vbdh://1' }];
    const changes = compareAttachments(before, after);
    expect(changes.added.map((a) => a.name)).toEqual(['moi.odt']);
    expect(changes.removed.map((a) => a.name)).toEqual(['cu.png']);
    expect(changes.changed.map((c) => [c.before.sha256?.slice(0, 2), c.after.sha256?.slice(0, 2)])).toEqual([['a1', 'd4']]);
    expect(changes.unchanged.map((a) => a.name)).toEqual(['phu-luc.xlsx', 'Công văn']);
  });

  it('sees a renamed file as changed, not as one removed and one added', () => {
    const changes = compareAttachments([stored('v1.pdf', 'a1')], [stored('v2.pdf', 'a1')]);
    expect(changes.changed).toHaveLength(1);
    expect(changes.added).toEqual([]);
    expect(changes.removed).toEqual([]);
  });

  it('writes sizes for people', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(12_595)).toBe('12,3 KB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB');
  });
});
