import type { Attachment } from './assignment-events';

/**
 * Files people attach to a draft or report. One definition for the API (what an upload may
 * be), the pages (what the form says) and the audit log (how a stored file is named).
 */

/** The most one file may weigh; the form states it. */
export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

/** The most files one upload (or one submission) carries. */
export const ATTACHMENTS_PER_SUBMISSION = 10;

/** The longest file name kept (characters). */
export const ATTACHMENT_NAME_MAX = 255;

/** What may be uploaded: the media type read from the content, and the endings a name of that type may have. */
export const ATTACHMENT_TYPES: readonly { mediaType: string; extensions: readonly string[] }[] = [
  { mediaType: 'application/pdf', extensions: ['pdf'] },
  { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'] },
  { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] },
  { mediaType: 'application/vnd.oasis.opendocument.text', extensions: ['odt'] },
  { mediaType: 'application/vnd.oasis.opendocument.spreadsheet', extensions: ['ods'] },
  { mediaType: 'image/png', extensions: ['png'] },
  { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  { mediaType: 'image/webp', extensions: ['webp'] },
  { mediaType: 'image/gif', extensions: ['gif'] },
  { mediaType: 'image/tiff', extensions: ['tif', 'tiff'] },
];

/** The endings the form offers (`accept`), e.g. `.pdf,.docx,…`. */
export const ATTACHMENT_ACCEPT = ATTACHMENT_TYPES.flatMap((t) => t.extensions.map((e) => `.${e}`)).join(',');

/** Whether a name's ending fits the media type read from the file's content. */
export function extensionFits(name: string, mediaType: string): boolean {
  const ending = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  const type = ATTACHMENT_TYPES.find((t) => t.mediaType === mediaType);
  return ending !== undefined && type !== undefined && type.extensions.includes(ending);
}

export const isSha256Hex = (value: string) => /^[0-9a-f]{64}$/.test(value);

const STORED_PREFIX = 'file:';

/** The `ref` of an attachment stored here (an uploaded file), from its id. */
export const storedFileRef = (fileId: string) => `${STORED_PREFIX}${fileId}`;

/** Whether a reference names a file stored here (such references are made only by an upload). */
export const isStoredFileRef = (ref: string) => ref.startsWith(STORED_PREFIX);

/** The id of a stored file this attachment names, or undefined for a reference to a file kept elsewhere. */
export function storedFileId(attachment: Attachment): string | undefined {
  return attachment.sha256 !== undefined && isStoredFileRef(attachment.ref) ? attachment.ref.slice(STORED_PREFIX.length) : undefined;
}

/** How a version's files differ from the version before: by name, a file whose content (hash or reference) changed is `changed`. */
export interface AttachmentChanges {
  added: Attachment[];
  removed: Attachment[];
  changed: { before: Attachment; after: Attachment }[];
  unchanged: Attachment[];
}

/** What identifies a file's content: its hash when stored here, else the reference. */
const contentOf = (a: Attachment) => a.sha256 ?? `ref:${a.ref}`;

export function compareAttachments(before: readonly Attachment[], after: readonly Attachment[]): AttachmentChanges {
  const result: AttachmentChanges = { added: [], removed: [], changed: [], unchanged: [] };
  const previous = new Map(before.map((a) => [a.name, a]));
  for (const a of after) {
    const old = previous.get(a.name);
    if (old) {
      previous.delete(a.name);
      if (contentOf(old) === contentOf(a)) result.unchanged.push(a);
      else result.changed.push({ before: old, after: a });
    } else {
      // Renamed only: the same content under another name.
      const renamed = [...previous.values()].find((p) => contentOf(p) === contentOf(a));
      if (renamed) {
        previous.delete(renamed.name);
        result.changed.push({ before: renamed, after: a });
      } else {
        result.added.push(a);
      }
    }
  }
  result.removed.push(...previous.values());
  return result;
}

/** A size for people: `812 B`, `12,3 KB`, `4,5 MB` (Vietnamese decimal comma, as the pages write numbers). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / (1024 * 1024), 'MB'];
  return `${value.toFixed(1).replace(/\.0$/, '').replace('.', ',')} ${unit}`;
}
