import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { isSha256Hex } from '@dieu-hanh/domain/assignment';
import { FileStore } from './file-store';

/** The part of S3Client the store uses, so a contract test can hand it another client. */
export type S3Sender = Pick<S3Client, 'send'>;

export interface S3FileStoreOptions {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

export function s3ClientFor(options: S3FileStoreOptions): S3Client {
  return new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    credentials: options.accessKeyId && options.secretAccessKey ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } : undefined,
  });
}

/**
 * Files in an S3-compatible bucket (MinIO in docker-compose.yml), one object per content,
 * `files/<sha256>`. The object carries its SHA-256 as S3's own checksum, so the store
 * refuses a body damaged on the way.
 */
export class S3FileStore extends FileStore {
  readonly kind = 's3';

  constructor(
    private readonly client: S3Sender,
    private readonly bucket: string,
  ) {
    super();
  }

  static keyOf(sha256: string): string {
    if (!isSha256Hex(sha256)) throw new Error(`not a SHA-256: ${sha256.slice(0, 80)}`);
    return `files/${sha256}`;
  }

  async put(sha256: string, content: Buffer, mediaType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: S3FileStore.keyOf(sha256),
        Body: content,
        ContentType: mediaType,
        ContentLength: content.length,
        ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
      }),
    );
  }

  async get(sha256: string): Promise<Buffer | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: S3FileStore.keyOf(sha256) }));
      if (!out.Body) return undefined;
      return Buffer.from(await out.Body.transformToByteArray());
    } catch (err) {
      if (err instanceof NoSuchKey || (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404)) return undefined;
      throw err;
    }
  }

  /** S3 answers a delete of a missing key with success, so a repeated sweep is harmless. */
  async delete(sha256: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: S3FileStore.keyOf(sha256) }));
  }
}
