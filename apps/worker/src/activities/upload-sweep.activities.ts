import type { DataSource } from 'typeorm';
import { storedFileRef } from '@dieu-hanh/domain/assignment';
import { withContentLock, type FileStore } from '@dieu-hanh/persistence/files';
import type { UploadSweepRequest, UploadSweepResult } from '@dieu-hanh/workflows';
import { classified } from './read-model-errors';

/** Upload records looked at per pass; the schedule's next pass takes the rest. */
export const SWEEP_BATCH = 1000;

/**
 * Removes uploads never submitted. An upload is kept while it is younger than the grace period
 * (its draft may still be written) and for ever once a submission of its assignment names it
 * (the history records its hash: an auditor must be able to fetch the bytes). Contents are
 * shared by hash, so bytes go only when no remaining record names them.
 *
 * Idempotent and safe to repeat after a crash: the bytes are removed before the records, and
 * removing bytes that are gone is harmless, so a pass cut short is finished by the next one.
 * Each content is judged and removed under its lock (withContentLock), which the upload holds
 * while it writes the same bytes and their record.
 */
export class UploadSweepActivities {
  constructor(
    private readonly db: DataSource,
    private readonly store: FileStore,
  ) {}

  async sweepUploads({ graceSeconds }: UploadSweepRequest): Promise<UploadSweepResult> {
    const candidates = await classified('finding uploads never submitted', async () =>
      (await this.db.query(
        `SELECT s.id, s.sha256, s.size FROM stored_file s
          WHERE s.uploaded_at < now() - make_interval(secs => $1)
            AND NOT EXISTS (
              SELECT 1 FROM assignments a,
                     jsonb_array_elements(coalesce(a.state->'submissions', '[]'::jsonb)) sub,
                     jsonb_array_elements(coalesce(sub->'attachments', '[]'::jsonb)) att
               WHERE a.id = s.assignment_id AND att->>'ref' = $2 || s.id::text)
          ORDER BY s.uploaded_at, s.id
          LIMIT $3`,
        [graceSeconds, storedFileRef(''), SWEEP_BATCH],
      )) as { id: string; sha256: string; size: string | number }[],
    );
    const sizes = new Map(candidates.map((c) => [c.sha256, Number(c.size)]));
    const removed: string[] = [];
    let filesRemoved = 0;
    for (const sha256 of sizes.keys()) {
      const ids = candidates.filter((c) => c.sha256 === sha256).map((c) => c.id);
      // Under the content's lock (as the upload writes under it): a record of the same bytes
      // written meanwhile is either seen here, or written after these bytes are gone and puts them back.
      filesRemoved += await classified('removing uploads never submitted', () =>
        withContentLock(this.db, [sha256], async (manager) => {
          // Another record (submitted, or still in its grace period) shares the content: it stays.
          const [kept] = (await manager.query(`SELECT 1 FROM stored_file WHERE sha256 = $1 AND NOT (id = ANY($2::uuid[])) LIMIT 1`, [sha256, ids])) as unknown[];
          if (!kept) {
            await this.store.delete(sha256);
            removed.push(sha256);
          }
          return rowCount(await manager.query(`DELETE FROM stored_file WHERE id = ANY($1::uuid[]) RETURNING id`, [ids]));
        }),
      );
    }
    return { filesRemoved, contentsRemoved: removed.length, bytesRemoved: removed.reduce((n, h) => n + (sizes.get(h) ?? 0), 0), sha256: removed };
  }
}

/** `DELETE … RETURNING` through TypeORM's pg driver answers [rows, count]. */
function rowCount(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[1];
  return Array.isArray(result) ? result.length : 0;
}
