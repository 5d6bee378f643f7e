import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_NAME_MAX, ATTACHMENT_TYPES, extensionFits } from '@dieu-hanh/domain/assignment';
import { findUnsafeCharacter } from '@dieu-hanh/domain';
import type { MessageKey } from '../web/i18n/i18n';

/** A file as the multipart parser hands it over (multer's memory storage). */
export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
  size: number;
}

/** A file that passed every check, with what the history will record of it. */
export interface CheckedFile {
  name: string;
  content: Buffer;
  size: number;
  /** Read from the content, never from the name or the browser's claim. */
  mediaType: string;
  sha256: string;
}

export interface UploadProblem {
  /** `files[0]` */
  field: string;
  key: MessageKey;
  params: Record<string, string | number>;
  /** For the API's `fields[].reason` (English). */
  reason: string;
}

export const sha256Hex = (content: Buffer) => createHash('sha256').update(content).digest('hex');

const MB = 1024 * 1024;

/**
 * Checks uploaded files before anything is written: a name that can be kept and shown, not
 * empty, not too large, a type read from the content that the list allows, and a name whose
 * ending fits that type (a PNG called "bao-cao.pdf" would open as neither).
 */
export async function checkUploads(files: readonly UploadedFile[]): Promise<{ files: CheckedFile[]; problems: UploadProblem[] }> {
  const checked: CheckedFile[] = [];
  const problems: UploadProblem[] = [];
  for (const [i, file] of files.entries()) {
    const field = `files[${i}]`;
    const name = file.originalname.normalize('NFC').trim();
    const shown = name.slice(0, 80);
    if (!name || [...name].length > ATTACHMENT_NAME_MAX || /[/\\]/.test(name) || findUnsafeCharacter(name, { multiline: false }) || name === '.' || name === '..') {
      problems.push({ field, key: 'upload.badName', params: { name: printable(shown), n: ATTACHMENT_NAME_MAX }, reason: `name must be 1-${ATTACHMENT_NAME_MAX} characters without / \\ or control characters` });
      continue;
    }
    if (file.size === 0) {
      problems.push({ field, key: 'upload.empty', params: { name: shown }, reason: 'is empty' });
      continue;
    }
    if (file.size > ATTACHMENT_MAX_BYTES) {
      problems.push({ field, key: 'upload.tooLarge', params: { limit: `${ATTACHMENT_MAX_BYTES / MB} MB` }, reason: `is larger than ${ATTACHMENT_MAX_BYTES} bytes` });
      continue;
    }
    const sniffed = await fileTypeFromBuffer(file.buffer);
    const allowed = sniffed && ATTACHMENT_TYPES.some((t) => t.mediaType === sniffed.mime);
    if (!sniffed || !allowed) {
      problems.push({ field, key: 'upload.type', params: { name: shown }, reason: `content is ${sniffed?.mime ?? 'of an unknown type'}, not one of ${ATTACHMENT_TYPES.map((t) => t.extensions[0]).join(', ')}` });
      continue;
    }
    if (!extensionFits(name, sniffed.mime)) {
      problems.push({ field, key: 'upload.extension', params: { name: shown, ext: sniffed.ext }, reason: `content is ${sniffed.mime}; the name should end in .${sniffed.ext}` });
      continue;
    }
    checked.push({ name, content: file.buffer, size: file.size, mediaType: sniffed.mime, sha256: sha256Hex(file.buffer) });
  }
  return { files: checked, problems };
}

/** A name as it may be echoed in a message when it was refused for its characters. */
const printable = (value: string) => Array.from(value, (c) => (findUnsafeCharacter(c, { multiline: false }) ? '?' : c)).join('');
