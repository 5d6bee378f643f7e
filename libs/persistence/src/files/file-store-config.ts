import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { FileStore } from './file-store';
import { FsFileStore } from './fs-file-store';
import { PostgresFileStore } from './postgres-file-store';

/** The file store's settings, shared by the API (which stores uploads) and the worker (which sweeps them). */
export const fileStoreEnv = {
  /**
   * Where uploaded files' bytes go: `postgres` (default: the read model's `file_blob` table),
   * `fs` (the folder FILE_STORE_DIR) or `s3` (an S3-compatible bucket: MinIO, Ceph, AWS).
   */
  FILE_STORE: z.enum(['postgres', 'fs', 's3']).default('postgres'),
  FILE_STORE_DIR: z.string().min(1).optional(),
  /** S3-compatible endpoint, e.g. http://minio:9000; unset for AWS itself. */
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name (3-63 lower-case letters, digits, dots, hyphens)').optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** MinIO and most S3-compatible stores want path-style URLs (http://host/bucket/key). */
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
};

type FileStoreValues = z.infer<z.ZodObject<typeof fileStoreEnv>>;

/** The checks across variables (fs needs a folder, s3 a bucket), named in the boot error. */
export const FILE_STORE_DIR_NEEDED = { path: ['FILE_STORE_DIR'], message: 'is required when FILE_STORE=fs' };
export const S3_BUCKET_NEEDED = { path: ['S3_BUCKET'], message: 'is required when FILE_STORE=s3' };

/** The one FileStore the settings choose. The AWS SDK loads only where S3 is the store. */
export async function openFileStore(v: FileStoreValues, db: DataSource): Promise<FileStore> {
  switch (v.FILE_STORE) {
    case 'postgres':
      return new PostgresFileStore(db);
    case 'fs':
      return new FsFileStore(v.FILE_STORE_DIR!);
    case 's3': {
      const { S3FileStore, s3ClientFor } = await import('./s3-file-store');
      return new S3FileStore(
        s3ClientFor({ endpoint: v.S3_ENDPOINT, region: v.S3_REGION, bucket: v.S3_BUCKET!, accessKeyId: v.S3_ACCESS_KEY_ID, secretAccessKey: v.S3_SECRET_ACCESS_KEY, forcePathStyle: v.S3_FORCE_PATH_STYLE }),
        v.S3_BUCKET!,
      );
    }
  }
}
