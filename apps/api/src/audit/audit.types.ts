import type { HistoryJson, PersonRef, StateAtEvent, TimelineEntry } from '@dieu-hanh/domain/audit';
import type { ArchiveEntry, ArchiveVerifyResult, RefusalRow } from '@dieu-hanh/persistence';

export type { HistoryJson, PersonRef, StateAtEvent, TimelineEntry, ArchiveEntry, ArchiveVerifyResult, RefusalRow };

/** Where a history came from: the Temporal server, our archive (deleted from Temporal), or a file imported. */
export type HistorySource = 'temporal' | 'archive' | 'import';

/** All runs of one workflow id, oldest first, continue-as-new runs followed as one chain. */
export interface HistoryChain {
  workflowId: string;
  workflowType: string;
  source: HistorySource;
  /** Set when source is 'import': the id to pass to timeline/state/verify. */
  importId?: string;
  runs: { runId: string; history: HistoryJson }[];
}

export interface ReplayResult {
  workflowId: string;
  /** The run that failed, else the last run. */
  runId: string;
  ok: boolean;
  /** "consistent" when ok; else the non-determinism as the SDK reports it, with the history event id. */
  error?: { message: string; eventId?: number };
  /** One result per run when the workflow continued as new. */
  runs?: { runId: string; ok: boolean; error?: { message: string; eventId?: number } }[];
}

export interface TimelineView {
  workflowId: string;
  workflowType: string;
  source: HistorySource;
  /** Link to the workflow in the Temporal web UI (absent for imports). */
  temporalUiUrl?: string;
  entries: TimelineEntry[];
}

export interface PlanVerifyProgress {
  done: number;
  total: number;
  last?: ReplayResult;
}
