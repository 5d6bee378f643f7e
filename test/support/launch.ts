import { expect } from 'vitest';
import type { ApiHarness } from './api-harness';
import { eventually } from './harness';

/**
 * Imports a plan through the API, launches the one assignment whose id was computed
 * with the plan key 'probe', and waits until the read model shows it.
 */
export async function importAndLaunchOne(api: ApiHarness, token: string, planText: string, probeId: string) {
  const imported = await api.call('POST', '/api/plans', token, { definition: planText });
  expect(imported.status, JSON.stringify(imported.body)).toBe(201);
  const assignmentId = probeId.replace(':probe:', `:${imported.body.key}:`);
  const launched = await api.call('POST', `/api/plans/${imported.body.id}/launch`, token, { assignments: [assignmentId] });
  expect(launched.status, JSON.stringify(launched.body)).toBe(202);
  await eventually(
    async () => ((await api.call('GET', `/api/assignments/${encodeURIComponent(assignmentId)}`, token)).status === 200 ? true : undefined),
    30_000,
    'the assignment in the read model',
  );
  return { planId: imported.body.id as string, planKey: imported.body.key as string, assignmentId };
}
