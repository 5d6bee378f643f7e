import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { ATTACHMENT_MAX_BYTES } from '@dieu-hanh/domain/assignment';
import { checkUploads } from '../../apps/api/src/files/upload-check';
import { samplePdf, samplePng, sampleXlsx } from '../support/sample-files';

const file = (originalname: string, buffer: Buffer) => ({ originalname, buffer, size: buffer.length });

describe('checkUploads: what a file must be before anything is written', () => {
  it('accepts a PDF, a PNG and an XLSX, with the media type read from the content and the SHA-256 of the bytes', async () => {
    const pdf = samplePdf();
    const { files, problems } = await checkUploads([file('Dự thảo kế hoạch.pdf', pdf), file('so-do.png', samplePng()), file('tien-do.xlsx', await sampleXlsx())]);
    expect(problems).toEqual([]);
    expect(files.map((f) => [f.name, f.mediaType])).toEqual([
      ['Dự thảo kế hoạch.pdf', 'application/pdf'],
      ['so-do.png', 'image/png'],
      ['tien-do.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]);
    expect(files[0].sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(files[0].size).toBe(pdf.length);
  });

  it('keeps a name in NFC (a decomposed "ự" from macOS is the same name)', async () => {
    const { files } = await checkUploads([file('Dự thảo.pdf'.normalize('NFD'), samplePdf())]);
    expect(files[0].name).toBe('Dự thảo.pdf'.normalize('NFC'));
  });

  it.each([
    ['a text file called .pdf', file('ke-hoach.pdf', Buffer.from('chỉ là văn bản')), 'upload.type'],
    ['an executable called .docx', file('ke-hoach.docx', Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1')), 'upload.type'],
    ['a PNG called .pdf', file('bao-cao.pdf', samplePng()), 'upload.extension'],
    ['a PDF with no ending', file('bao-cao', samplePdf()), 'upload.extension'],
    ['an empty file', file('rong.pdf', Buffer.alloc(0)), 'upload.empty'],
    ['a name with a NUL', file('ke\u0000hoach.pdf', samplePdf()), 'upload.badName'],
    ['a name with a line break', file('ke\nhoach.pdf', samplePdf()), 'upload.badName'],
    ['a name with a path', file('../../etc/passwd.pdf', samplePdf()), 'upload.badName'],
    ['a name of 256 characters', file(`${'a'.repeat(252)}.pdf`, samplePdf()), 'upload.badName'],
  ])('refuses %s', async (_label, upload, key) => {
    const { files, problems } = await checkUploads([upload]);
    expect(files).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'files[0]', key });
    expect(problems[0].reason).not.toBe('');
  });

  it('refuses a file over the limit without reading its type', async () => {
    const big = { originalname: 'lon.pdf', buffer: samplePdf(), size: ATTACHMENT_MAX_BYTES + 1 };
    const { problems } = await checkUploads([big]);
    expect(problems[0]).toMatchObject({ key: 'upload.tooLarge', params: { limit: '20 MB' } });
  });

  it('names each refused file by its place, and keeps the good ones apart', async () => {
    const { files, problems } = await checkUploads([file('tot.pdf', samplePdf()), file('xau.pdf', Buffer.from('x'))]);
    expect(files.map((f) => f.name)).toEqual(['tot.pdf']);
    expect(problems.map((p) => p.field)).toEqual(['files[1]']);
  });
});
