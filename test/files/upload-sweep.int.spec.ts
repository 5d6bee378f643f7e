import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedFileRef } from '@dieu-hanh/domain/assignment';
import { FsFileStore, type FileStore } from '@dieu-hanh/persistence/files';
import { UploadSweepActivities } from '../../apps/worker/src/activities/upload-sweep.activities';
import { FilesService } from '../../apps/api/src/files/files.service';
import type { CurrentUser } from '../../apps/api/src/auth/current-user';
import { WORKFLOW_TYPES, uploadSweepScheduleId, type UploadSweepResult } from '@dieu-hanh/workflows';
import { ensureUploadSweepSchedule } from '../../apps/worker/src/uploads/upload-sweep-schedule';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { seedSyntheticInbox } from '../support/synthetic-inbox';

const DAY = 86_400;

/**
 * The sweep of uploads never submitted, on real PostgreSQL and Temporal, with the bytes in a
 * real folder store: what no submission names goes after the grace period, what a submission
 * names stays for good, shared contents stay while any record still names them, and a second
 * pass removes nothing. The worker's Temporal Schedule starts the same workflow.
 */
describe('uploads never submitted are swept after their grace period', () => {
  let h: WorkerHarness;
  let dir: string;
  let store: FsFileStore;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dieu-hanh-sweep-'));
    store = new FsFileStore(dir);
    h = await startWorker({ fileStore: store });
  });
  afterAll(async () => {
    await h?.client.schedule.getHandle(uploadSweepScheduleId(h.taskQueue)).delete().catch(() => undefined);
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const content = (tag: string) => {
    const bytes = Buffer.from(`%PDF-1.4 ${tag} ${randomUUID()}`);
    return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
  };
  const rowsLeft = async (ids: string[]) =>
    ((await h.db.query(`SELECT id FROM stored_file WHERE id = ANY($1::uuid[])`, [ids])) as { id: string }[]).map((r) => r.id).sort();
  const sweep = (graceSeconds: number) =>
    h.client.workflow.execute(WORKFLOW_TYPES.uploadSweep, { taskQueue: h.taskQueue, workflowId: `sweep-test-${randomUUID()}`, args: [{ graceSeconds }] }) as Promise<UploadSweepResult>;

  it('removes old unsubmitted uploads and their unshared bytes, keeps the submitted, the young and the shared, and a second pass removes nothing', async () => {
    const seed = await seedSyntheticInbox(h.db, { todo: 2, sentBack: 0, submitted: 0, extensions: 0, difficulties: 0 });
    const [submittedTo, draftOf] = seed.rows.map((r) => r.id);
    const x = content('submitted');
    const y = content('abandoned');
    const z = content('young');
    const w = content('shared-with-young');
    for (const c of [x, y, z, w]) await store.put(c.sha256, c.bytes);
    const file = (assignmentId: string, c: { bytes: Buffer; sha256: string }, ageDays: number) => ({ id: randomUUID(), assignmentId, c, ageDays });
    const files = {
      submitted: file(submittedTo, x, 10),
      abandoned: file(draftOf, y, 10),
      sameAsSubmitted: file(draftOf, x, 10),
      young: file(draftOf, z, 0),
      oldSharingWithYoung: file(draftOf, w, 10),
      youngSharing: file(draftOf, w, 0),
    };
    for (const f of Object.values(files)) {
      await h.db.query(
        `INSERT INTO stored_file (id, assignment_id, name, size, media_type, sha256, store, uploaded_by, uploaded_at)
         VALUES ($1, $2, 'bao-cao.pdf', $3, 'application/pdf', $4, 'fs', 'test', now() - make_interval(days => $5))`,
        [f.id, f.assignmentId, f.c.bytes.length, f.c.sha256, f.ageDays],
      );
    }
    // The submission records the file as the workflow's history does: name, reference, hash.
    const attachment = { name: 'bao-cao.pdf', ref: storedFileRef(files.submitted.id), sha256: x.sha256, size: x.bytes.length, mediaType: 'application/pdf' };
    await h.db.query(
      `UPDATE assignments SET state = jsonb_set(state, '{submissions}', $2::jsonb) WHERE id = $1`,
      [submittedTo, JSON.stringify([{ version: 1, text: 'Dự thảo', attachments: [attachment], by: { userId: randomUUID(), name: 'Người soạn', unit: 'X', roles: ['drafter'] }, at: new Date().toISOString() }])],
    );

    const first = await sweep(5 * DAY);
    expect(first).toEqual({ filesRemoved: 3, contentsRemoved: 1, bytesRemoved: y.bytes.length, sha256: [y.sha256] });
    expect(await rowsLeft(Object.values(files).map((f) => f.id))).toEqual([files.submitted.id, files.young.id, files.youngSharing.id].sort());
    expect(await store.get(y.sha256)).toBeUndefined();
    for (const kept of [x, z, w]) expect((await store.get(kept.sha256))?.equals(kept.bytes)).toBe(true);

    expect(await sweep(5 * DAY)).toEqual({ filesRemoved: 0, contentsRemoved: 0, bytesRemoved: 0, sha256: [] });
  });

  it('never removes bytes that the same content uploaded while the sweep judges them now names', async () => {
    const seed = await seedSyntheticInbox(h.db, { todo: 1, sentBack: 0, submitted: 0, extensions: 0, difficulties: 0 });
    const [{ id: assignmentId, leadUnit }] = seed.rows;
    const c = content('uploaded-again');
    await store.put(c.sha256, c.bytes);
    const abandoned = randomUUID();
    await h.db.query(
      `INSERT INTO stored_file (id, assignment_id, name, size, media_type, sha256, store, uploaded_by, uploaded_at)
       VALUES ($1, $2, 'bao-cao.pdf', $3, 'application/pdf', $4, 'fs', 'test', now() - make_interval(days => 10))`,
      [abandoned, assignmentId, c.bytes.length, c.sha256],
    );
    // The sweep has found no other record of the content and is about to remove its bytes: it waits there.
    let reachDelete!: () => void;
    const atDelete = new Promise<void>((r) => (reachDelete = r));
    let letDelete!: () => void;
    const mayDelete = new Promise<void>((r) => (letDelete = r));
    const paused: FileStore = Object.assign(Object.create(store) as FileStore, {
      delete: async (sha256: string) => {
        reachDelete();
        await mayDelete;
        await store.delete(sha256);
      },
    });
    const sweeping = new UploadSweepActivities(h.db, paused).sweepUploads({ graceSeconds: 5 * DAY });
    await atDelete;

    // Meanwhile the same bytes are uploaded again (the API's own upload path, on the same database).
    const drafter: CurrentUser = { userId: randomUUID(), username: 'nguoi-soan', name: 'Người Soạn', unit: leadUnit, roles: ['drafter'], via: 'bearer' };
    let uploadSettled = false;
    const uploading = new FilesService(h.db, store).upload(drafter, assignmentId, [{ originalname: 'bao-cao.pdf', buffer: c.bytes, size: c.bytes.length }], (key) => key);
    void uploading.then(() => (uploadSettled = true), () => (uploadSettled = true));
    // Until it is done, or waits for the content's lock.
    await eventually(async () => {
      if (uploadSettled) return true;
      const [waiting] = (await h.db.query(
        `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objsubid = 2 AND objid::text::bigint = $1 LIMIT 1`,
        [Number.parseInt(c.sha256.slice(0, 8), 16)],
      )) as unknown[];
      return waiting ? true : undefined;
    }, 10_000, 'the upload done or waiting for the sweep');
    letDelete();

    const [result, [row]] = await Promise.all([sweeping, uploading]);
    expect(result.filesRemoved).toBe(1);
    expect(await rowsLeft([abandoned, row.id])).toEqual([row.id]);
    // The record written by the upload names bytes that are there.
    expect((await store.get(c.sha256))?.equals(c.bytes)).toBe(true);
  });

  it('is started by a Temporal Schedule the worker creates once (a second start updates it)', async () => {
    const settings = { taskQueue: h.taskQueue, everySeconds: 3600, graceSeconds: 3650 * DAY };
    await ensureUploadSweepSchedule(h.client, settings);
    await ensureUploadSweepSchedule(h.client, { ...settings, everySeconds: 1800 });
    const schedule = h.client.schedule.getHandle(uploadSweepScheduleId(h.taskQueue));
    const described = await schedule.describe();
    expect(described.action.type).toBe('startWorkflow');
    expect(described.action.workflowType).toBe(WORKFLOW_TYPES.uploadSweep);
    expect(described.spec.intervals?.[0]?.every).toBe(1_800_000);
    await schedule.trigger();
    const run = await eventually(async () => (await schedule.describe()).info.recentActions.at(-1)?.action.workflow, 30_000, 'a pass started by the schedule');
    const result = (await h.client.workflow.getHandle(run.workflowId, run.firstExecutionRunId).result()) as UploadSweepResult;
    expect(result.filesRemoved).toBe(0);
  });
});
