import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { isSha256Hex, isStoredFileRef, storedFileRef, type Attachment } from '@dieu-hanh/domain/assignment';
import { AssignmentEntity, StoredFileEntity } from '@dieu-hanh/persistence';
import { AppError, AppErrorCode } from '../common/app-error';
import { assertCanRead, assertCanSubmit } from '../auth/access-policy';
import type { CurrentUser } from '../auth/current-user';
import type { Translate } from '../web/i18n/i18n';
import { CorruptFileError, FileStore, withContentLock } from '@dieu-hanh/persistence/files';
import { checkUploads, sha256Hex, type UploadedFile } from './upload-check';

/** A file named in a submission: uploaded here (id and the hash the submitter saw) or kept elsewhere (name and reference). */
export type AttachmentInput = { fileId: string; sha256: string } | { name: string; ref: string };

export const isStoredInput = (a: AttachmentInput): a is { fileId: string; sha256: string } => 'fileId' in a && typeof a.fileId === 'string';

/** What a stored file's row says, as the API answers it. */
export const describeStoredFile = (row: StoredFileEntity) => ({
  id: row.id,
  assignmentId: row.assignmentId,
  name: row.name,
  size: row.size,
  mediaType: row.mediaType,
  sha256: row.sha256,
  uploadedAt: row.uploadedAt.toISOString(),
});

/** The attachment a submission records for a stored file: name, size, media type and hash travel in the history. */
export const attachmentOf = (row: Pick<StoredFileEntity, 'id' | 'name' | 'size' | 'mediaType' | 'sha256'>): Attachment => ({
  name: row.name,
  ref: storedFileRef(row.id),
  sha256: row.sha256,
  size: row.size,
  mediaType: row.mediaType,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Uploaded files: checked at the edge, bytes into the FileStore under their SHA-256, a row
 * in `stored_file` tying them to one assignment. Whoever may see the assignment may download
 * its files; only its own unit's drafters and heads upload.
 */
@Injectable()
export class FilesService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(FileStore) private readonly store: FileStore,
  ) {}

  /** Checks every file first (nothing is written when one is refused), then stores them all. */
  async upload(user: CurrentUser, assignmentId: string, files: readonly UploadedFile[], t: Translate): Promise<StoredFileEntity[]> {
    const assignment = await this.assignment(user, assignmentId);
    assertCanSubmit(user, assignment.leadUnit);
    if (files.length === 0) throw new AppError(AppErrorCode.VALIDATION, t('upload.none'), 'NO_FILE', [{ field: 'files', reason: 'no file was sent' }]);
    const { files: checked, problems } = await checkUploads(files);
    if (problems.length > 0) {
      throw new AppError(
        AppErrorCode.VALIDATION,
        problems.map((p) => t(p.key, p.params)).join(' '),
        'INVALID_FILE',
        problems.map((p) => ({ field: p.field, reason: p.reason })),
      );
    }
    const repo = this.db.getRepository(StoredFileEntity);
    const created = checked.map((file) =>
      repo.create({
        id: randomUUID(),
        assignmentId,
        name: file.name,
        size: file.size,
        mediaType: file.mediaType,
        sha256: file.sha256,
        store: this.store.kind,
        uploadedBy: user.userId,
      }),
    );
    // The records first, under the contents' locks, the bytes after: the upload sweep either
    // sees these records (and keeps the bytes) or removed the bytes before them, and then they
    // are put back here (see withContentLock). The lock is held for the insert alone: an upload
    // never waits for it while holding a connection that the holder needs.
    const rows = await withContentLock(this.db, checked.map((f) => f.sha256), (manager) => manager.getRepository(StoredFileEntity).save(created));
    try {
      for (const file of checked) await this.store.put(file.sha256, file.content, file.mediaType);
    } catch (err) {
      await this.forget(rows).catch(() => undefined);
      throw err;
    }
    return rows;
  }

  /**
   * The attachments a submission records, in the order given. A stored file must belong to
   * this assignment and have the hash the submitter names: the approver sees what was sent.
   */
  async resolve(assignmentId: string, inputs: readonly AttachmentInput[], t: Translate): Promise<Attachment[]> {
    const ids = inputs.filter(isStoredInput).map((a) => a.fileId);
    const bad = ids.find((id) => !UUID.test(id));
    if (bad !== undefined) throw this.unknownFile(bad, t);
    const rows = ids.length ? await this.db.getRepository(StoredFileEntity).findBy({ id: In(ids), assignmentId }) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return inputs.map((input, i) => {
      if (!isStoredInput(input)) {
        if (isStoredFileRef(input.ref)) {
          throw new AppError(AppErrorCode.VALIDATION, t('upload.refReserved'), 'RESERVED_REFERENCE', [{ field: `attachments[${i}].ref`, reason: 'file: references are given by fileId and sha256' }]);
        }
        return { name: input.name, ref: input.ref };
      }
      const row = byId.get(input.fileId);
      if (!row) throw this.unknownFile(input.fileId, t);
      if (!isSha256Hex(input.sha256) || row.sha256 !== input.sha256) {
        throw new AppError(AppErrorCode.VALIDATION, t('upload.hashMismatch', { name: row.name }), 'HASH_MISMATCH', [{ field: `attachments[${i}].sha256`, reason: `is not the SHA-256 of file ${row.id}` }]);
      }
      return attachmentOf(row);
    });
  }

  /** Forgets files uploaded for a submission the workflow then refused (their bytes may be shared, so they stay). */
  async forget(rows: readonly StoredFileEntity[]): Promise<void> {
    if (rows.length) await this.db.getRepository(StoredFileEntity).delete({ id: In(rows.map((r) => r.id)) });
  }

  /** A stored file and its bytes, for whoever may see its assignment (403 otherwise, 404 when there is none). */
  async open(user: CurrentUser, fileId: string, t: Translate): Promise<{ file: StoredFileEntity; content: Buffer }> {
    if (!UUID.test(fileId)) throw this.unknownFile(fileId, t);
    const file = await this.db.getRepository(StoredFileEntity).findOneBy({ id: fileId });
    if (!file) throw this.unknownFile(fileId, t);
    await this.assignment(user, file.assignmentId);
    const content = await this.store.get(file.sha256);
    if (!content) throw new AppError(AppErrorCode.UNAVAILABLE, t('upload.missingContent', { name: file.name }), 'FILE_CONTENT_MISSING');
    const actual = sha256Hex(content);
    if (actual !== file.sha256) {
      // Never hand out bytes that are not the ones recorded in the history.
      throw new AppError(AppErrorCode.UNAVAILABLE, t('upload.missingContent', { name: file.name }), new CorruptFileError(file.sha256, actual).name);
    }
    return { file, content };
  }

  async list(user: CurrentUser, assignmentId: string): Promise<StoredFileEntity[]> {
    await this.assignment(user, assignmentId);
    return this.db.getRepository(StoredFileEntity).find({ where: { assignmentId }, order: { uploadedAt: 'ASC', id: 'ASC' } });
  }

  private async assignment(user: CurrentUser, id: string): Promise<AssignmentEntity> {
    const row = await this.db.getRepository(AssignmentEntity).findOneBy({ id });
    if (!row) throw new AppError(AppErrorCode.NOT_FOUND, `no assignment ${id}`);
    assertCanRead(user, row.leadUnit, row.coordinatingUnits);
    return row;
  }

  private unknownFile(id: string, t: Translate): AppError {
    return new AppError(AppErrorCode.NOT_FOUND, t('upload.notFound', { id: id.slice(0, 80) }), 'FILE_NOT_FOUND');
  }
}
