import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { S3FileStore, s3ClientFor } from '@dieu-hanh/persistence/files/s3';
import { fileStoreContract, sha } from '../support/file-store-contract';
import { startS3Server, type TestS3 } from '../support/s3-server';

/**
 * The S3 file store against a real S3-compatible server (gofakes3, started here, built by
 * scripts/ensure-gofakes3.sh when missing) instead of an in-memory double: the AWS SDK signs
 * and sends real requests, the server answers with S3's XML and its 404s.
 */
let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3Server();
}, 600_000);
afterAll(() => s3?.close());

const clientOf = () => s3ClientFor({ endpoint: s3.endpoint, region: 'us-east-1', bucket: s3.bucket, accessKeyId: 'test-key', secretAccessKey: 'test-secret', forcePathStyle: true });

fileStoreContract('S3FileStore (gofakes3)', async () => new S3FileStore(clientOf(), s3.bucket));

describe('S3FileStore: the objects it leaves in the bucket', () => {
  it('keeps one object per content under files/<sha256>, with its media type and its SHA-256 as S3 checksum', async () => {
    const client = clientOf();
    const store = new S3FileStore(client, s3.bucket);
    const content = Buffer.from('%PDF-1.4 báo cáo tháng');
    await store.put(sha(content), content, 'application/pdf');
    const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `files/${sha(content)}` }));
    expect(head.ContentType).toBe('application/pdf');
    expect(head.ContentLength).toBe(content.length);
    expect(head.ChecksumSHA256).toBe(createHash('sha256').update(content).digest('base64'));
  });

  it('fails loudly when the bucket does not exist (a wrong S3_BUCKET is not a missing file)', async () => {
    const store = new S3FileStore(clientOf(), 'no-such-bucket');
    await expect(store.put(sha(Buffer.from('x')), Buffer.from('x'), 'text/plain')).rejects.toThrow();
  });
});
