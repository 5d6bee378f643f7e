import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, type ApiHarness } from '../support/api-harness';
import { ownSeedPlan } from '../support/seed-plan';

/** Issue 9: the seed's monthly duties (III.6) open a handful of periods for the assumed horizon, not one a month for ever. */
describe('the seed plan launched: monthly report periods for its assumed horizon (năm 2020)', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  const seed = ownSeedPlan('SEEDPERIODS');
  let planKey: string;

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const s = Date.now().toString(36);
    await api.createUser({ username: `sp-office-${s}`, displayName: 'Văn phòng Tỉnh ủy', unitCode: seed.plan.plan.standingOffice, roles: ['standing-office', 'administrator'] });
    const office = await api.login(`sp-office-${s}`);
    const imported = await api.call('POST', '/api/plans', office, { definition: seed.text });
    expect(imported.status).toBe(201);
    planKey = imported.body.key;
    const duties = seed.specsFor(planKey).filter((x) => x.kind === 'monthly-report');
    expect((await api.call('POST', `/api/plans/${imported.body.id}/launch`, office, { assignments: duties.map((d) => d.id) })).status).toBe(202);
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it('each lead body gets exactly the twelve periods 01/2020 … 12/2020, and its duty then ends', async () => {
    const periods = async () =>
      (await worker.db.query(`SELECT id, lead_unit, title FROM assignments WHERE plan_key = $1 AND kind = 'monthly-report' ORDER BY id`, [planKey])) as { id: string; lead_unit: string; title: string }[];
    await eventually(async () => ((await periods()).length >= 24 ? true : undefined), 120_000, 'the 24 report periods');
    // The duties have stopped: nothing more opens.
    for (const { id } of seed.specsFor(planKey).filter((d) => d.kind === 'monthly-report')) {
      await eventually(async () => ((await worker.client.workflow.getHandle(id).describe()).status.name === 'COMPLETED' ? true : undefined), 60_000, `${id} completed`);
    }
    const rows = await periods();
    expect(rows).toHaveLength(24);
    for (const unit of ['BCSD-UBND', 'BTC-TU']) {
      const mine = rows.filter((r) => r.lead_unit === unit);
      expect(mine.map((r) => r.id.slice(-7))).toEqual(Array.from({ length: 12 }, (_, i) => `2020-${String(i + 1).padStart(2, '0')}`));
      expect(mine[2].title).toMatch(/^Báo cáo tháng 03\/2020 — /);
    }
  });
});
