import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { HISTORIES_DIR } from '../support/histories';
import { parseHistoryFile } from '../../apps/api/src/audit/audit.service';
import { replayRuns } from '../../apps/api/src/audit/replay-verifier';

const fixtures = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));

// The auditors' verifier (npm run audit -- verify) over every recorded history: a change
// to workflow code that would break running workflows fails here, naming the event.
describe('recorded histories replay against the current workflow code', () => {
  it('has recorded fixtures to replay', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(3);
  });

  it('replays every fixture without non-determinism', async () => {
    const files = fixtures.map((file) => ({ file, ...parseHistoryFile(JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8'))) }));
    const runs = files.flatMap(({ workflowId, runs }) => runs.map((r) => ({ workflowId, runId: r.runId, history: r.history })));
    const results = await replayRuns({ codePath: inject('workflowBundlePath') }, runs);
    expect(results).toHaveLength(runs.length);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it('covers patched paths, a continue-as-new and an approval SLA ladder', () => {
    const histories = fixtures.map((f) => JSON.parse(readFileSync(path.join(HISTORIES_DIR, f), 'utf8')).history as { events: HistoryEvent[] });
    const patchIds = new Set(histories.flatMap((h) => h.events.flatMap(patchIdsOf)));
    expect([...patchIds]).toEqual(expect.arrayContaining(['assignment-effects-loop', 'approval-effects-loop', 'amend-plan-changes', 'amend-deadline', 'plan2-rhythms', 'plan2-submit-to', 'plan2-cite-assumed', 'perf-fewer-events', 'perf2-batched-effects', 'perf3-opening-projection', 'life2-stay-open', 'life3-amend-on-demand']));
    expect(histories.some((h) => h.events.some((e) => e.workflowExecutionContinuedAsNewEventAttributes)), 'a history that continues as new').toBe(true);
    const ladder = histories.find((h) => {
      const keys = h.events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendNotice').map((e) => decoded(e).join(''));
      return keys.filter((k) => k.includes(':sla:')).length >= 3;
    });
    expect(ladder, 'an approval that climbed its SLA ladder (three rungs)').toBeDefined();
  });
});

interface HistoryEvent {
  markerRecordedEventAttributes?: { markerName?: string; details?: Record<string, { payloads?: { data?: string }[] }> };
  workflowExecutionContinuedAsNewEventAttributes?: unknown;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string }; input?: { payloads?: { data?: string }[] } };
}

const fromBase64 = (data: string | undefined) => (data ? Buffer.from(data, 'base64').toString('utf8') : '');

/** Patch ids recorded by `patched()` (marker "core_patch", id base64-encoded in its details). */
function patchIdsOf(event: HistoryEvent): string[] {
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== 'core_patch') return [];
  return Object.values(marker.details ?? {}).flatMap((d) => (d.payloads ?? []).map((p) => fromBase64(p.data)))
    .map((text) => { try { return String((JSON.parse(text) as { id?: unknown }).id ?? ''); } catch { return ''; } })
    .filter(Boolean);
}

const decoded = (event: HistoryEvent) => (event.activityTaskScheduledEventAttributes?.input?.payloads ?? []).map((p) => fromBase64(p.data));
