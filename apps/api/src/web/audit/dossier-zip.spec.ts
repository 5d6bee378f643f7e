import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { csv, dossierZip, manifestEntries, safeFileName, sha256 } from './dossier-zip';

describe('dossier ZIP', () => {
  it('holds every file and a README listing each with its SHA-256 and size', async () => {
    const files = [
      { name: 'histories/a.json', content: '{"events":[]}' },
      { name: 'timeline/a.html', content: Buffer.from('<p>Nhất quán</p>') },
    ];
    const body = await dossierZip({ title: 'Hồ sơ kiểm tra', generatedAt: new Date('2020-01-27T07:05:00Z'), generatedBy: 'Kiểm tra viên', summary: ['Tái hiện: Nhất quán'] }, files);
    const zip = await JSZip.loadAsync(body);
    expect(Object.keys(zip.files).sort()).toEqual(['README.txt', 'histories/a.json', 'timeline/a.html']);
    const text = await zip.file('README.txt')!.async('string');
    expect(text).toContain('Tái hiện: Nhất quán');
    const entries = manifestEntries(text);
    expect(entries).toEqual([
      { sha256: sha256('{"events":[]}'), bytes: 13, name: 'histories/a.json' },
      { sha256: sha256(Buffer.from('<p>Nhất quán</p>')), bytes: Buffer.byteLength('<p>Nhất quán</p>'), name: 'timeline/a.html' },
    ]);
    for (const e of entries) expect(sha256(await zip.file(e.name)!.async('nodebuffer'))).toBe(e.sha256);
  });

  it('refuses the same path twice rather than silently keeping one', async () => {
    await expect(dossierZip({ title: 't', generatedAt: new Date(), generatedBy: 'x', summary: [] }, [{ name: 'a', content: '1' }, { name: 'a', content: '2' }])).rejects.toThrow(/twice/);
  });

  it('makes safe file names and quotes CSV fields', () => {
    expect(safeFileName('drafting:TV@1:FT2:BCSD-UBND')).toBe('drafting_TV@1_FT2_BCSD-UBND');
    expect(safeFileName('../../etc/passwd')).toBe('.._.._etc_passwd');
    expect(csv(['a', 'b'], [['x, y', 'say "no"'], [1, null]])).toBe('\uFEFFa,b\r\n"x, y","say ""no"""\r\n1,\r\n');
  });
});
