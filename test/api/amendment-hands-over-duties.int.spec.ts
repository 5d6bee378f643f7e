import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { applyReorganisation, parsePlanDefinition, parseReorganisation } from '@dieu-hanh/domain';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { TEST_PASSWORD, startApi, type ApiHarness } from '../support/api-harness';
import { webSession } from '../support/web-session';
import { ownSeedPlan } from '../support/seed-plan';

const REORG = readFileSync(path.join(__dirname, '..', '..', 'libs/domain/plans/reorganisations/tra-vinh-2025.reorg.yaml'), 'utf8');
/** Last month in Asia/Ho_Chi_Minh: the duties open this period and the next ones, not every month since 2020. */
const PERIOD = DateTime.now().setZone('Asia/Ho_Chi_Minh').minus({ months: 1 }).toFormat('yyyy-MM');

/**
 * An amendment that ends units (the 2025 reorganisation applied to a running plan) hands over
 * what the diff cannot see, as a scheduled unit end does: the Organisation Board's monthly
 * report duty (III.6) with its open period, and the on-demand proposal (III.4) Huyện ủy Cầu Kè
 * opened, besides the imposed assignment the diff lists.
 */
describe('an amendment that ends a unit hands over its report duties and on-demand items too', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let office: string;
  let officeUsername: string;
  let oldHead: string;
  const seed = ownSeedPlan('AMENDDUTY');
  // The seed's assumed horizon (năm 2020) would end the duties before PERIOD: run them to next year.
  const text = seed.text.replaceAll('firstPeriod: 2020-01', `firstPeriod: ${PERIOD}`).replace('horizon: năm 2020', `horizon: đến hết năm ${Number(PERIOD.slice(0, 4)) + 1}`);

  beforeAll(async () => {
    if (text === seed.text) throw new Error('the seed plan no longer has "firstPeriod: 2020-01"; update this test');
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const s = Date.now().toString(36);
    await api.createUser({ username: `ad-office-${s}`, displayName: 'Văn phòng', unitCode: seed.plan.plan.standingOffice, roles: ['standing-office', 'administrator'] });
    await api.createUser({ username: `ad-old-${s}`, displayName: 'Lãnh đạo Huyện ủy Cầu Kè', unitCode: 'HU-CK', roles: ['unit-head', 'drafter'] });
    officeUsername = `ad-office-${s}`;
    office = await api.login(officeUsername);
    oldHead = await api.login(`ad-old-${s}`);
  });
  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it('passes the duty, its open period and the on-demand proposal to the successors', async () => {
    const parsed = parsePlanDefinition(text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const imported = await api.call('POST', '/api/plans', office, { definition: text });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const { id: planId, key } = imported.body as { id: string; key: string };
    const concretisation = `concretisation:${key}:-:HU-CK`;
    const duty = seed.specsFor(key).find((s) => s.kind === 'monthly-report' && s.leadUnit === 'BTC-TU')!;
    const period = `${duty.id}:${PERIOD}`;
    const launched = await api.call('POST', `/api/plans/${planId}/launch`, office, { assignments: [concretisation, duty.id] });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    const opened = await api.call('POST', `/api/plans/${planId}/available-obligations/III.4/assignments`, oldHead, { subject: 'Cơ chế hỗ trợ xã nông thôn mới', targetDate: '2031-05-17' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const proposal: string = opened.body.id;
    const lead = async (id: string) => ((await worker.db.query(`SELECT lead_unit FROM assignments WHERE id = $1`, [id])) as { lead_unit: string }[])[0]?.lead_unit;
    await eventually(async () => ((await lead(period)) === 'BTC-TU' && (await lead(proposal)) === 'HU-CK' && (await lead(concretisation)) === 'HU-CK' ? true : undefined), 30_000, 'the three open for their units');

    const reorganisation = parseReorganisation(REORG);
    if (!reorganisation.ok) throw new Error(JSON.stringify(reorganisation.errors));
    const next = applyReorganisation(parsed.plan, reorganisation.reorganisation);
    if (!next.ok) throw new Error(JSON.stringify(next.errors));
    const amendment = await api.call('POST', '/api/plans', office, { definition: JSON.stringify(next.plan) });
    expect(amendment.status, JSON.stringify(amendment.body)).toBe(201);
    // The assignment lists see the imposed assignment only; the duty, its open period and the
    // proposal are listed apart, as what the units that ended hand over besides.
    const { diff } = amendment.body.amendment;
    expect(diff.assignments.handedOver.map((h: { id: string }) => h.id)).toEqual([concretisation]);
    expect(diff.assignments.dutiesHandedOver).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: duty.id, from: 'BTC-TU', to: 'BTC-TU-VL', kind: 'monthly-report' }),
        expect.objectContaining({ id: period, from: 'BTC-TU', to: 'BTC-TU-VL', period: PERIOD }),
      ]),
    );
    expect(diff.assignments.onDemandHandedOver).toEqual([expect.objectContaining({ id: proposal, obligationId: 'III.4', from: 'HU-CK', to: 'DU-X-CAUKE' })]);
    const again = (await api.call('GET', `/api/plans/${amendment.body.id}/amendment`, office)).body.diff;
    expect(again.assignments.onDemandHandedOver).toEqual(diff.assignments.onDemandHandedOver);
    expect(again.assignments.dutiesHandedOver).toEqual(expect.arrayContaining(diff.assignments.dutiesHandedOver));
    // The Standing Office reads them on the amendment page, Vietnamese first.
    const web = webSession(api.baseUrl);
    expect((await web.post('/login', { username: officeUsername, password: TEST_PASSWORD, next: '/' })).status).toBe(303);
    const page = (await web.get(`/plans/${amendment.body.id}/amendment`)).text;
    // (The duty may have opened this month's period since: the count is the page's own.)
    expect(page).toContain('Nhiệm vụ định kỳ chuyển giao cho đơn vị kế thừa (');
    expect(page).toContain('(các kỳ từ nay trở đi)</span>: BTC-TU → <strong>BTC-TU-VL</strong>');
    expect(page).toContain(`kỳ tháng ${PERIOD.slice(5)}/${PERIOD.slice(0, 4)} đang mở`);
    expect(page).toContain('Nhiệm vụ khi cần thiết đang mở, chuyển giao cho đơn vị kế thừa (1)');
    expect(page).toContain('HU-CK → <strong>DU-X-CAUKE</strong>');
    expect((await web.get(`/plans/${amendment.body.id}/amendment?lang=en`)).text).toContain('Open on-demand assignments handed over to the successor unit (1)');
    const applied = await api.call('POST', `/api/plans/${amendment.body.id}/amendment`, office, { reason: 'Sắp xếp tổ chức bộ máy 2025' });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);

    const after = await eventually(async () => {
      const leads = { concretisation: await lead(concretisation), proposal: await lead(proposal), period: await lead(period) };
      return leads.concretisation === 'DU-X-CAUKE' && leads.proposal === 'DU-X-CAUKE' && leads.period === 'BTC-TU-VL' ? leads : undefined;
    }, 30_000, 'the duty, its period and the proposal handed over');
    expect(after).toEqual({ concretisation: 'DU-X-CAUKE', proposal: 'DU-X-CAUKE', period: 'BTC-TU-VL' });
    const events = (await worker.db.query(`SELECT type, payload FROM assignment_events WHERE assignment_id = $1 ORDER BY seq`, [proposal])) as { type: string; payload: { from?: string; to?: string; reason?: string } }[];
    expect(events.find((e) => e.type === 'handed-over')?.payload).toMatchObject({ from: 'HU-CK', to: 'DU-X-CAUKE', reason: expect.stringContaining(amendment.body.key) });
    const record = (await api.call('GET', `/api/plans/${planId}/progress`, office)).body.changes.find((c: { changeId: string }) => c.changeId === amendment.body.key);
    // The concretisation, the proposal, the duty and its open periods (each signal that reached a running workflow).
    expect(record).toMatchObject({ applied: true });
    expect(record.handedOver).toBeGreaterThanOrEqual(4);
    // Periods the duty opens from now on are the successor's: the duty itself took the hand-over.
    const signals = ((await worker.client.workflow.getHandle(duty.id).fetchHistory()).events ?? []).map((e) => e.workflowExecutionSignaledEventAttributes?.signalName).filter(Boolean);
    expect(signals).toContain('handOver');
    expect((await api.call('POST', `/api/plans/${planId}/close`, office, { reason: 'Xong phần kiểm tra' })).status).toBe(202);
  });
});
