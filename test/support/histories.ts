import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

export const HISTORIES_DIR = path.join(__dirname, '..', 'workflows', 'histories');

/**
 * With RECORD_HISTORIES=1, saves a finished workflow's history, exported by the real
 * `temporal workflow show --output json`, as a replay fixture. Fixtures are committed;
 * test/workflows/replay.int.spec.ts replays them against the current workflow code,
 * so a change that would break running workflows fails the suite.
 */
export function recordHistory(name: string, workflowId: string, runId?: string): void {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const json = execFileSync(inject('temporalCli'), [
    'workflow', 'show', '--workflow-id', workflowId, ...(runId ? ['--run-id', runId] : []),
    '--address', inject('temporalAddress'), '--namespace', inject('temporalNamespace'), '--output', 'json',
  ]).toString();
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), JSON.stringify({ workflowId, history: JSON.parse(json) }, null, 1));
}
