import { Injectable } from '@nestjs/common';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { WORKFLOW_PRELOAD_MODULES, workflowsPath } from '@dieu-hanh/workflows';
import type { HistoryJson } from '@dieu-hanh/domain/audit';
import type { ReplayResult } from './audit.types';

export interface ReplayRun {
  workflowId: string;
  runId: string;
  history: HistoryJson;
}

/** The history event a non-determinism names, from the SDK's or core's message. */
export function eventIdInMessage(message: string): number | undefined {
  const patterns = [/HistoryEvent\(id:\s*(\d+)/i, /event(?:\s+id)?\s*[#:=]?\s*(\d+)/i, /\bid:\s*(\d+)/i];
  for (const p of patterns) {
    const m = message.match(p);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/**
 * Core names a patch marker by its change id, not its event ("patch marker encountered for
 * change X, but there is no corresponding change command"): the event is that marker's.
 */
export function patchMarkerEventId(message: string, history: HistoryJson): number | undefined {
  const change = message.match(/patch marker encountered for change ([\w.:-]+)/i)?.[1];
  if (!change) return undefined;
  for (const e of history.events as { eventId?: string | number; markerRecordedEventAttributes?: { markerName?: string; details?: Record<string, { payloads?: { data?: string }[] }> } }[]) {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') continue;
    const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
    const text = data ? Buffer.from(data, 'base64').toString('utf8') : '';
    if (text.includes(`"${change}"`)) return Number(e.eventId);
  }
  return undefined;
}

/**
 * Replays runs against one workflow bundle, one replay worker for the lot
 * (`Worker.runReplayHistories`), and says for each run "consistent" or the exact
 * non-determinism with the event id.
 */
export async function replayRuns(bundle: WorkflowBundleOption, runs: ReplayRun[]): Promise<ReplayResult[]> {
  if (runs.length === 0) return [];
  quietRuntime();
  const results: ReplayResult[] = [];
  const histories = runs.map((r) => ({ workflowId: r.workflowId, history: historyFromJSON(r.history) }));
  let i = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
    const run = runs[i++];
    if (!result.error) {
      results.push({ workflowId: run.workflowId, runId: run.runId, ok: true });
      continue;
    }
    const cause = (result.error as Error & { cause?: unknown }).cause;
    const message = [result.error.name, result.error.message, cause instanceof Error ? cause.message : undefined].filter(Boolean).join(': ');
    results.push({ workflowId: run.workflowId, runId: run.runId, ok: false, error: { message, eventId: eventIdInMessage(message) ?? patchMarkerEventId(message, run.history) } });
  }
  return results;
}

/** Replay workers log their state changes at INFO; an API or a CLI wants warnings only. */
function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed (a worker in this process, or an earlier replay): keep it.
  }
}

/** Today's workflow code, bundled once per process (bundling takes seconds). */
@Injectable()
export class ReplayVerifier {
  private bundle?: Promise<WorkflowBundleOption>;

  /** Uses an already built bundle (tests build one per run; a deployment may ship one). */
  useBundle(bundle: WorkflowBundleOption): void {
    this.bundle = Promise.resolve(bundle);
  }

  private currentBundle(): Promise<WorkflowBundleOption> {
    this.bundle ??= bundleWorkflowCode({ workflowsPath, preloadModules: WORKFLOW_PRELOAD_MODULES, logger: new DefaultLogger('ERROR') }).catch((err: unknown) => {
      this.bundle = undefined;
      throw err;
    });
    return this.bundle;
  }

  async replay(runs: ReplayRun[]): Promise<ReplayResult[]> {
    return replayRuns(await this.currentBundle(), runs);
  }
}
