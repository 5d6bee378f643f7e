import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsFileStore, type FileStore } from '@dieu-hanh/persistence/files';
import { s3ClientFor } from '@dieu-hanh/persistence/files/s3';
import { fileStoreContract, sha } from '../support/file-store-contract';

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

fileStoreContract('FsFileStore', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'dh-files-'));
  folders.push(folder);
  return new FsFileStore(folder);
});

describe('S3FileStore: its client (the store itself runs against a real S3-compatible server in s3-file-store.int.spec.ts)', () => {
  it('builds a path-style client for MinIO from the configuration', async () => {
    const client = s3ClientFor({ endpoint: 'http://minio:9000', region: 'us-east-1', bucket: 'dieu-hanh-files', accessKeyId: 'k', secretAccessKey: 's', forcePathStyle: true });
    expect(client.config.forcePathStyle).toBe(true);
    expect(await client.config.region()).toBe('us-east-1');
    const endpoint = await client.config.endpoint?.();
    expect(endpoint?.hostname).toBe('minio');
    expect(endpoint?.port).toBe(9000);
    expect((await client.config.credentials()).accessKeyId).toBe('k');
  });
});

describe('FsFileStore: on disk', () => {
  it('leaves no half-written file behind: only ab/cd/<sha256>', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dh-files-'));
    folders.push(folder);
    const content = Buffer.from('x');
    const store: FileStore = new FsFileStore(folder);
    await store.put(sha(content), content, 'application/pdf');
    const h = sha(content);
    expect(await readdir(join(folder, h.slice(0, 2), h.slice(2, 4)))).toEqual([h]);
  });
});
