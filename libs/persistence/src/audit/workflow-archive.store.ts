import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { canonicalJson, type HistoryJson } from '@dieu-hanh/domain/audit';

/** The digest the first archive entry chains to. */
export const GENESIS_DIGEST = '0'.repeat(64);

/** SHA-256 over the previous entry's digest followed by this entry's canonical JSON. */
export const chainDigest = (previousDigest: string, canonicalHistory: string): string =>
  createHash('sha256').update(previousDigest, 'utf8').update(canonicalHistory, 'utf8').digest('hex');

// One lock id for every writer of the chain (API, worker, CLI): entries are appended one at a time.
const ARCHIVE_LOCK = 8_400_000_001;

export interface ArchiveEntry {
  id: number;
  namespace: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  closedAt: string;
  digest: string;
  previousDigest: string;
  archivedAt: string;
}

export interface ArchivedRun extends ArchiveEntry {
  history: HistoryJson;
}

export interface ArchiveVerifyResult {
  ok: boolean;
  checked: number;
  firstMismatch?: { id: number; workflowId: string; runId: string; reason: string };
}

interface ArchiveRow {
  id: number;
  namespace: string;
  workflow_id: string;
  run_id: string;
  workflow_type: string;
  closed_at: Date;
  digest: string;
  previous_digest: string;
  archived_at: Date;
  history?: string;
}

const toEntry = (r: ArchiveRow): ArchiveEntry => ({
  id: r.id,
  namespace: r.namespace,
  workflowId: r.workflow_id,
  runId: r.run_id,
  workflowType: r.workflow_type,
  closedAt: r.closed_at.toISOString(),
  digest: r.digest,
  previousDigest: r.previous_digest,
  archivedAt: r.archived_at.toISOString(),
});

const ENTRY_COLUMNS = 'id, namespace, workflow_id, run_id, workflow_type, closed_at, digest, previous_digest, archived_at';

/**
 * The tamper-evident archive of closed workflow runs: each run's history as canonical
 * JSON, its digest chained to the entry before it. Writers are serialised by a
 * transaction-scoped advisory lock, so the chain never forks.
 */
export class WorkflowArchiveStore {
  constructor(private readonly db: DataSource) {}

  /** Which of these run ids are archived already. */
  async archivedRunIds(namespace: string, runIds: string[]): Promise<Set<string>> {
    if (runIds.length === 0) return new Set();
    const rows = (await this.db.query(`SELECT run_id FROM workflow_archive WHERE namespace = $1 AND run_id = ANY($2::text[])`, [namespace, runIds])) as { run_id: string }[];
    return new Set(rows.map((r) => r.run_id));
  }

  /** Appends a closed run; returns undefined when that run is archived already. */
  async append(input: { namespace: string; workflowId: string; runId: string; workflowType: string; closedAt: Date; history: HistoryJson }): Promise<ArchiveEntry | undefined> {
    const canonical = canonicalJson(input.history);
    return this.db.transaction(async (m: EntityManager) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [ARCHIVE_LOCK]);
      const existing = (await m.query(`SELECT 1 FROM workflow_archive WHERE namespace = $1 AND run_id = $2`, [input.namespace, input.runId])) as unknown[];
      if (existing.length > 0) return undefined;
      const [last] = (await m.query(`SELECT digest FROM workflow_archive ORDER BY id DESC LIMIT 1`)) as { digest: string }[];
      const previous = last?.digest ?? GENESIS_DIGEST;
      const [row] = (await m.query(
        `INSERT INTO workflow_archive (namespace, workflow_id, run_id, workflow_type, closed_at, history, digest, previous_digest)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING ${ENTRY_COLUMNS}`,
        [input.namespace, input.workflowId, input.runId, input.workflowType, input.closedAt, canonical, chainDigest(previous, canonical), previous],
      )) as ArchiveRow[];
      return toEntry(row);
    });
  }

  /** Archived runs of a workflow id, oldest first (all chains of that id). */
  async runsOf(namespace: string, workflowId: string): Promise<ArchivedRun[]> {
    const rows = (await this.db.query(`SELECT ${ENTRY_COLUMNS}, history FROM workflow_archive WHERE namespace = $1 AND workflow_id = $2 ORDER BY id`, [namespace, workflowId])) as ArchiveRow[];
    return rows.map((r) => ({ ...toEntry(r), history: JSON.parse(r.history!) as HistoryJson }));
  }

  async run(namespace: string, runId: string): Promise<ArchivedRun | undefined> {
    const [r] = (await this.db.query(`SELECT ${ENTRY_COLUMNS}, history FROM workflow_archive WHERE namespace = $1 AND run_id = $2`, [namespace, runId])) as ArchiveRow[];
    return r ? { ...toEntry(r), history: JSON.parse(r.history!) as HistoryJson } : undefined;
  }

  /** Entries (without histories) of these workflow ids, or the latest `limit` of all. */
  async entries(options: { workflowIds?: string[]; limit?: number } = {}): Promise<ArchiveEntry[]> {
    const rows = options.workflowIds
      ? ((await this.db.query(`SELECT ${ENTRY_COLUMNS} FROM workflow_archive WHERE workflow_id = ANY($1::text[]) ORDER BY id`, [options.workflowIds])) as ArchiveRow[])
      : ((await this.db.query(`SELECT ${ENTRY_COLUMNS} FROM workflow_archive ORDER BY id DESC LIMIT $1`, [options.limit ?? 100])) as ArchiveRow[]);
    return rows.map(toEntry);
  }

  /**
   * Recomputes the whole chain, oldest first, and names the first entry whose stored
   * previous digest or digest does not match what its bytes give.
   */
  async verify(onProgress?: (checked: number) => void): Promise<ArchiveVerifyResult> {
    let previous = GENESIS_DIGEST;
    let afterId = 0;
    let checked = 0;
    for (;;) {
      const rows = (await this.db.query(
        `SELECT id, workflow_id, run_id, digest, previous_digest, history FROM workflow_archive WHERE id > $1 ORDER BY id LIMIT 200`,
        [afterId],
      )) as ArchiveRow[];
      if (rows.length === 0) return { ok: true, checked };
      for (const r of rows) {
        const mismatch = (reason: string): ArchiveVerifyResult => ({ ok: false, checked, firstMismatch: { id: r.id, workflowId: r.workflow_id, runId: r.run_id, reason } });
        if (r.previous_digest !== previous) return mismatch(`previous digest ${r.previous_digest} does not match entry before it (${previous})`);
        const digest = chainDigest(previous, r.history!);
        if (digest !== r.digest) return mismatch(`stored digest ${r.digest} does not match the history's digest ${digest}`);
        previous = r.digest;
        checked++;
        afterId = r.id;
      }
      onProgress?.(checked);
    }
  }
}
