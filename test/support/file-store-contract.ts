import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FileStore } from '@dieu-hanh/persistence/files';

export const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * What every FileStore promises, run against each store: the folder (test/files/file-store.spec.ts),
 * S3 against a real S3-compatible server (test/files/s3-file-store.int.spec.ts); the PostgreSQL
 * one in test/api/attachments.int.spec.ts and the sweep's test.
 */
export function fileStoreContract(name: string, make: () => Promise<FileStore>) {
  describe(`${name}: the FileStore contract`, () => {
    it('gives back exactly the bytes kept under a hash', async () => {
      const store = await make();
      const content = Buffer.from('%PDF-1.4 dự thảo phiên bản 1');
      await store.put(sha(content), content, 'application/pdf');
      const back = await store.get(sha(content));
      expect(back && sha(back)).toBe(sha(content));
    });

    it('keeps the same content twice without complaint', async () => {
      const store = await make();
      const content = Buffer.from('cùng một tệp');
      await store.put(sha(content), content, 'application/pdf');
      await store.put(sha(content), content, 'application/pdf');
      expect((await store.get(sha(content)))?.equals(content)).toBe(true);
    });

    it('answers undefined for a hash it never kept', async () => {
      const store = await make();
      expect(await store.get('0'.repeat(64))).toBeUndefined();
    });

    it('removes a content, and removing it again is harmless (the sweep may run twice)', async () => {
      const store = await make();
      const content = Buffer.from(`bị bỏ dở ${Math.random()}`);
      await store.put(sha(content), content, 'application/pdf');
      await store.delete(sha(content));
      expect(await store.get(sha(content))).toBeUndefined();
      await expect(store.delete(sha(content))).resolves.toBeUndefined();
    });

    it('refuses a key that is not a SHA-256 (no path or object name can be smuggled in)', async () => {
      const store = await make();
      await expect(store.get('../../etc/passwd')).rejects.toThrow(/SHA-256/);
      await expect(store.put('../x', Buffer.from('x'), 'text/plain')).rejects.toThrow(/SHA-256/);
    });
  });
}
