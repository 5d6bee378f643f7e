import type { Response } from 'express';
import type { StoredFileEntity } from '@dieu-hanh/persistence';

/**
 * Sends a stored file as a download: the recorded media type, `nosniff`, the name in both
 * header forms (RFC 6266 / 5987, for Vietnamese names), and the SHA-256 as the ETag and the
 * representation digest, so a client can check it got the file the history names.
 */
export function sendStoredFile(res: Response, file: StoredFileEntity, content: Buffer): void {
  const ascii = file.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  res
    .status(200)
    .type(file.mediaType)
    .setHeader('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    .setHeader('x-content-type-options', 'nosniff')
    .setHeader('cache-control', 'private, no-store')
    .setHeader('etag', `"${file.sha256}"`)
    .setHeader('repr-digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`)
    .setHeader('x-file-sha256', file.sha256)
    .send(content);
}
