import { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { DataSource } from 'typeorm';
import type { HistoryJson } from '@dieu-hanh/domain/audit';
import { WorkflowArchiveStore, type ArchiveEntry } from '@dieu-hanh/persistence';

export interface ArchiverLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Overlap with the previous pass, so runs that visibility shows late are not missed. */
const OVERLAP_MS = 10 * 60_000;

/**
 * Writes every closed workflow run (completed, failed, cancelled, terminated, timed out,
 * continued as new) to the tamper-evident archive, oldest close first. Polls Temporal's
 * visibility; the first pass looks at every closed run, later ones at recent closes.
 */
export class WorkflowArchiver {
  private readonly store: WorkflowArchiveStore;
  private watermark?: Date;

  constructor(
    private readonly client: Client,
    db: DataSource,
    private readonly namespace: string,
    private readonly log?: ArchiverLog,
  ) {
    this.store = new WorkflowArchiveStore(db);
  }

  /** Archives what has closed and is not archived yet; `workflowId` limits it to one id. */
  async archiveClosedNow(options: { workflowId?: string } = {}): Promise<ArchiveEntry[]> {
    const startedAt = new Date();
    const clauses = [`ExecutionStatus != 'Running'`];
    if (options.workflowId) clauses.push(`WorkflowId = '${options.workflowId.replace(/'/g, "\\'")}'`);
    else if (this.watermark) clauses.push(`CloseTime >= '${new Date(this.watermark.getTime() - OVERLAP_MS).toISOString()}'`);
    const closed: { workflowId: string; runId: string; type: string; closeTime: Date }[] = [];
    for await (const w of this.client.workflow.list({ query: clauses.join(' AND ') })) {
      if (w.closeTime) closed.push({ workflowId: w.workflowId, runId: w.runId, type: w.type, closeTime: w.closeTime });
    }
    const written: ArchiveEntry[] = [];
    for (let i = 0; i < closed.length; i += 500) {
      const batch = closed.slice(i, i + 500);
      const done = await this.store.archivedRunIds(this.namespace, batch.map((w) => w.runId));
      for (const w of batch.filter((x) => !done.has(x.runId)).sort((a, b) => a.closeTime.getTime() - b.closeTime.getTime())) {
        const history = JSON.parse(historyToJSON(await this.client.workflow.getHandle(w.workflowId, w.runId).fetchHistory())) as HistoryJson;
        const entry = await this.store.append({ namespace: this.namespace, workflowId: w.workflowId, runId: w.runId, workflowType: w.type, closedAt: w.closeTime, history });
        if (entry) written.push(entry);
      }
    }
    if (!options.workflowId) this.watermark = startedAt;
    return written;
  }

  /** Archives every `intervalMs` until `signal` aborts; a failed pass is logged and retried next time. */
  async run(intervalMs: number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const written = await this.archiveClosedNow();
        if (written.length > 0) this.log?.info({ archived: written.length }, 'archived closed workflow runs');
      } catch (err) {
        this.log?.error({ error: err instanceof Error ? err.message : String(err) }, 'archiving failed; retrying on the next pass');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
  }
}
