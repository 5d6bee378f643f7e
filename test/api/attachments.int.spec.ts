import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { StoredFileEntity } from '@dieu-hanh/persistence';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, type ApiHarness } from '../support/api-harness';
import { ownSeedPlan } from '../support/seed-plan';
import { samplePdf, samplePng } from '../support/sample-files';
import { PostgresFileStore } from '@dieu-hanh/persistence/files';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Real attachments over HTTP against the real API, Temporal and PostgreSQL: upload (checked
 * at the edge), submit by id and hash, download for whoever may see the assignment, and the
 * file's name, size, media type and SHA-256 in the workflow's own history.
 */
describe('attachments: upload, submit by hash, download, and the hash in the history', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let spec: AssignmentSpec;
  let id: string;
  const tokens: Record<'office' | 'drafter' | 'outsider' | 'auditor', string> = { office: '', drafter: '', outsider: '', auditor: '' };
  const seed = ownSeedPlan('ATT');
  const pdf = samplePdf('Ke hoach chi tiet FT2, phien ban 1');
  const png = samplePng();

  const upload = async (token: string, files: { name: string; content: Buffer; type?: string }[], path = `/api/assignments/${encodeURIComponent(id)}/files`, field = 'files') => {
    const form = new FormData();
    for (const f of files) form.append(field, new Blob([new Uint8Array(f.content)], { type: f.type ?? 'application/octet-stream' }), f.name);
    const res = await fetch(`${api.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, body: body as any };
  };
  const download = (token: string, fileId: string) => fetch(`${api.baseUrl}/api/files/${fileId}`, { headers: { authorization: `Bearer ${token}` } });
  const storedCount = () => worker.db.getRepository(StoredFileEntity).countBy({ assignmentId: id });

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const s = Date.now().toString(36);
    const office = seed.plan.plan.standingOffice;
    await api.createUser({ username: `att-office-${s}`, displayName: 'Văn phòng', unitCode: office, roles: ['standing-office', 'administrator'] });
    await api.createUser({ username: `att-drafter-${s}`, displayName: 'Nguyễn Văn Soạn', unitCode: 'BCSD-UBND', roles: ['drafter'] });
    await api.createUser({ username: `att-outsider-${s}`, displayName: 'Trần Thị Khác', unitCode: 'BTC-TU', roles: ['drafter'] });
    await api.createUser({ username: `att-auditor-${s}`, displayName: 'Ủy ban Kiểm tra', unitCode: office, roles: ['auditor'] });
    for (const who of Object.keys(tokens) as (keyof typeof tokens)[]) tokens[who] = await api.login(`att-${who}-${s}`);

    const imported = await api.call('POST', '/api/plans', tokens.office, { definition: seed.text });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    spec = seed.specsFor(imported.body.key).find((x) => x.kind === 'drafting' && x.leadUnit === 'BCSD-UBND' && x.taskCodes.includes('FT2'))!;
    id = spec.id;
    const launched = await api.call('POST', `/api/plans/${imported.body.id}/launch`, tokens.office, { assignments: [id] });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    await eventually(async () => ((await api.call('GET', `/api/assignments/${encodeURIComponent(id)}`, tokens.office)).status === 200 ? true : undefined), 30_000, 'the assignment');
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it('stores an uploaded PDF and PNG under their SHA-256, the type read from the content', async () => {
    // The browser's claimed type is ignored: the PNG is sent as application/pdf.
    const res = await upload(tokens.drafter, [
      { name: 'Dự thảo kế hoạch FT2.pdf', content: pdf },
      { name: 'sơ đồ.png', content: png, type: 'application/pdf' },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.files.map((f: { name: string; size: number; mediaType: string; sha256: string }) => [f.name, f.size, f.mediaType, f.sha256])).toEqual([
      ['Dự thảo kế hoạch FT2.pdf', pdf.length, 'application/pdf', sha(pdf)],
      ['sơ đồ.png', png.length, 'image/png', sha(png)],
    ]);
  });

  it('refuses bad files with a 4xx that names the file and writes nothing', async () => {
    const before = await storedCount();
    const text = await upload(tokens.drafter, [{ name: 'ke-hoach.pdf', content: Buffer.from('chỉ là văn bản, không phải PDF') }]);
    expect(text.status).toBe(400);
    expect(text.body).toMatchObject({ code: 'VALIDATION', reason: 'INVALID_FILE', fields: [{ field: 'files[0]' }] });
    expect(text.body.message).toContain('ke-hoach.pdf');

    const misnamed = await upload(tokens.drafter, [{ name: 'so-do.pdf', content: png }]);
    expect(misnamed.status).toBe(400);
    // One bad file among good ones: none of them is kept.
    const mixed = await upload(tokens.drafter, [{ name: 'tot.pdf', content: pdf }, { name: 'rong.pdf', content: Buffer.alloc(0) }]);
    expect(mixed.status).toBe(400);

    // A control character in a part's header is already a broken body; DEL reaches the input guard.
    const ctl = await upload(tokens.drafter, [{ name: 'ke\u0001hoach.pdf', content: pdf }]);
    expect(ctl.status).toBe(400);
    // Percent-encoded (RFC 5987) the header is well formed, and the decoded name reaches the input guard.
    const raw = Buffer.concat([
      Buffer.from(`--b0undary\r\nContent-Disposition: form-data; name="files"; filename*=UTF-8''ke%7Fho%00ach.pdf\r\nContent-Type: application/pdf\r\n\r\n`),
      pdf,
      Buffer.from('\r\n--b0undary--\r\n'),
    ]);
    const del = await fetch(`${api.baseUrl}/api/assignments/${encodeURIComponent(id)}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.drafter}`, 'content-type': 'multipart/form-data; boundary=b0undary' },
      body: raw,
    });
    expect(del.status).toBe(400);
    expect(await del.json()).toMatchObject({ reason: 'UNSAFE_CHARACTER', fields: [{ field: 'files[0].name' }] });

    const tooBig = await upload(tokens.drafter, [{ name: 'lon.pdf', content: Buffer.concat([pdf, Buffer.alloc(20 * 1024 * 1024)]) }]);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ reason: 'FILE_TOO_LARGE' });
    expect(tooBig.body.message).toContain('20 MB');

    const tooMany = await upload(tokens.drafter, Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.pdf`, content: pdf })));
    expect(tooMany.status).toBe(413);
    const wrongField = await upload(tokens.drafter, [{ name: 'a.pdf', content: pdf }], undefined, 'tep');
    expect(wrongField.status).toBe(400);
    const none = await upload(tokens.drafter, []);
    expect(none.status).toBe(400);

    const outsider = await upload(tokens.outsider, [{ name: 'a.pdf', content: pdf }]);
    expect(outsider.status).toBe(403);
    const auditor = await upload(tokens.auditor, [{ name: 'a.pdf', content: pdf }]);
    expect(auditor.status).toBe(403);
    // Files go only where files are taken: multipart elsewhere is still a 415.
    const elsewhere = await upload(tokens.drafter, [{ name: 'a.pdf', content: pdf }], `/api/assignments/${encodeURIComponent(id)}/drafts`);
    expect(elsewhere.status).toBe(415);

    expect(await storedCount()).toBe(before);
  });

  it('submits files by id and hash; the history records name, size, media type and SHA-256, never the bytes', async () => {
    const listed = await api.call('GET', `/api/assignments/${encodeURIComponent(id)}/files`, tokens.drafter);
    const files = listed.body.files as { id: string; name: string; sha256: string }[];
    const filePdf = files.find((f) => f.name.endsWith('.pdf'))!;
    const filePng = files.find((f) => f.name.endsWith('.png'))!;

    const forged = await api.call('POST', `/api/assignments/${encodeURIComponent(id)}/drafts`, tokens.drafter, {
      version: 1,
      text: 'Dự thảo',
      attachments: [{ fileId: filePdf.id, sha256: sha(png) }],
    });
    expect(forged.status).toBe(400);
    expect(forged.body.reason).toBe('HASH_MISMATCH');
    const unknown = await api.call('POST', `/api/assignments/${encodeURIComponent(id)}/drafts`, tokens.drafter, {
      version: 1,
      text: 'Dự thảo',
      attachments: [{ fileId: '00000000-0000-4000-8000-000000000000', sha256: sha(pdf) }],
    });
    expect(unknown.status).toBe(404);
    const typedRef = await api.call('POST', `/api/assignments/${encodeURIComponent(id)}/drafts`, tokens.drafter, {
      version: 1,
      text: 'Dự thảo',
      attachments: [{ name: 'gia.pdf', ref: `file:${filePdf.id}` }],
    });
    expect(typedRef.status).toBe(400);

    const submitted = await api.call('POST', `/api/assignments/${encodeURIComponent(id)}/drafts`, tokens.drafter, {
      version: 1,
      text: 'Dự thảo kế hoạch chi tiết FT2',
      attachments: [{ fileId: filePdf.id, sha256: filePdf.sha256 }, { fileId: filePng.id, sha256: filePng.sha256 }, { name: 'Công văn 12', ref: 'vbdh://2020/12' }],
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);

    const history = await worker.client.workflow.getHandle(id).fetchHistory();
    const accepted = (history.events ?? []).flatMap((e) => {
      const payload = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads?.[0]?.data;
      return payload ? [JSON.parse(Buffer.from(payload).toString('utf8'))] : [];
    });
    expect(accepted).toHaveLength(1);
    expect(accepted[0].attachments).toEqual([
      { name: 'Dự thảo kế hoạch FT2.pdf', ref: `file:${filePdf.id}`, sha256: sha(pdf), size: pdf.length, mediaType: 'application/pdf' },
      { name: 'sơ đồ.png', ref: `file:${filePng.id}`, sha256: sha(png), size: png.length, mediaType: 'image/png' },
      { name: 'Công văn 12', ref: 'vbdh://2020/12' },
    ]);

    // The auditor's timeline shows each file with its hash.
    await eventually(async () => {
      const res = await api.call('GET', `/api/audit/workflows/${encodeURIComponent(id)}/timeline`, tokens.auditor);
      const text = JSON.stringify(res.body);
      return res.status === 200 && text.includes(sha(pdf)) && text.includes(sha(png)) ? true : undefined;
    }, 20_000, 'the hashes on the audit timeline');
  });

  it('lets whoever may see the assignment download the exact bytes; 403 for another unit, 404 for no file', async () => {
    const listed = await api.call('GET', `/api/assignments/${encodeURIComponent(id)}/files`, tokens.drafter);
    const filePdf = (listed.body.files as { id: string; name: string }[]).find((f) => f.name.endsWith('.pdf'))!;
    for (const who of ['drafter', 'auditor', 'office'] as const) {
      const res = await download(tokens[who], filePdf.id);
      expect(res.status, who).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(sha(bytes)).toBe(sha(pdf));
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('etag')).toBe(`"${sha(pdf)}"`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('Dự thảo kế hoạch FT2.pdf')}`);
    }
    expect((await download(tokens.outsider, filePdf.id)).status).toBe(403);
    expect((await download(tokens.drafter, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await download(tokens.drafter, 'not-a-uuid')).status).toBe(404);
    expect((await fetch(`${api.baseUrl}/api/files/${filePdf.id}`)).status).toBe(401);
  });

  it('the PostgreSQL store keeps one row per content and gives back what it kept', async () => {
    const store = new PostgresFileStore(worker.db);
    const content = Buffer.from(`%PDF-1.4 ${Date.now()}`);
    await store.put(sha(content), content);
    await store.put(sha(content), content);
    expect((await store.get(sha(content)))?.equals(content)).toBe(true);
    expect(await store.get('f'.repeat(64))).toBeUndefined();
  });
});
