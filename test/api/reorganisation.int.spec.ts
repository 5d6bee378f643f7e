import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyReorganisation, parseReorganisation } from '@dieu-hanh/domain';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { TEST_PASSWORD, startApi, type ApiHarness } from '../support/api-harness';
import { webSession } from '../support/web-session';
import { ownSeedPlan } from '../support/seed-plan';
import { recordHistory } from '../support/histories';

const REORG = readFileSync(path.join(__dirname, '..', '..', 'libs/domain/plans/reorganisations/tra-vinh-2025.reorg.yaml'), 'utf8');

/**
 * The 2025 reorganisation of Trà Vinh (data file) applied to a running plan on the real
 * Temporal server: Huyện ủy Cầu Kè ended on 30/06/2025, so its open assignments pass to
 * its successor with their history, deadlines and escalation state.
 */
describe('a unit abolished mid-plan hands its open assignments to its successor', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let office: string;
  let officeUsername: string;
  let oldHead: string;
  let newHead: string;
  const seed = ownSeedPlan('REORG');
  let planId: string;
  let key: string;
  // Cầu Kè's one imposed assignment in the seed (its policy proposals, III.4, are opened when needed).
  const ids = () => ({ concretisation: `concretisation:${key}:-:HU-CK` });
  const readModel = async (id: string) =>
    ((await worker.db.query(`SELECT lead_unit, escalation_level, nominal_deadline::text AS nominal, effective_deadline::text AS effective, original_due_at, lifecycle FROM assignments WHERE id = $1`, [id])) as {
      lead_unit: string;
      escalation_level: number;
      nominal: string;
      effective: string;
      original_due_at: Date;
      lifecycle: string;
    }[])[0]!;

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    const s = Date.now().toString(36);
    await api.createUser({ username: `ro-office-${s}`, displayName: 'Văn phòng', unitCode: seed.plan.plan.standingOffice, roles: ['standing-office', 'administrator'] });
    await api.createUser({ username: `ro-old-${s}`, displayName: 'Lãnh đạo Huyện ủy Cầu Kè', unitCode: 'HU-CK', roles: ['unit-head', 'drafter'] });
    await api.createUser({ username: `ro-new-${s}`, displayName: 'Bí thư Đảng ủy xã Cầu Kè', unitCode: 'DU-X-CAUKE', roles: ['unit-head', 'drafter'] });
    officeUsername = `ro-office-${s}`;
    office = await api.login(officeUsername);
    oldHead = await api.login(`ro-old-${s}`);
    newHead = await api.login(`ro-new-${s}`);
  });
  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it('runs Cầu Kè\'s assignments for its own people before the reorganisation is applied', async () => {
    const imported = await api.call('POST', '/api/plans', office, { definition: seed.text });
    expect(imported.status).toBe(201);
    planId = imported.body.id;
    key = imported.body.key;
    const launched = await api.call('POST', `/api/plans/${planId}/launch`, office, { units: ['HU-CK'] });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    expect(launched.body.assignments).toBe(1);
    const { concretisation } = ids();
    // Due 29/02/2020: overdue since, so the escalation ladder has climbed.
    const before = await eventually(async () => {
      const r = (await worker.db.query(`SELECT escalation_level FROM assignments WHERE id = $1`, [concretisation]))[0] as { escalation_level: number } | undefined;
      return r && r.escalation_level > 0 ? r : undefined;
    }, 30_000, 'the concretisation escalated');
    expect(before.escalation_level).toBeGreaterThan(0);
    const asked = await api.call('POST', `/api/assignments/${encodeURIComponent(concretisation)}/extension-requests`, oldHead, { reason: 'Chờ hướng dẫn', proposedDate: '2027-03-31' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect((await api.call('GET', `/api/assignments/${encodeURIComponent(concretisation)}`, newHead)).status).toBe(403);
  });

  it('shows and applies the hand-over; the successor sees them with their history, the old unit cannot act', async () => {
    const { concretisation } = ids();
    const before = await readModel(concretisation);
    const reorganisation = parseReorganisation(REORG);
    if (!reorganisation.ok) throw new Error(JSON.stringify(reorganisation.errors));
    const next = applyReorganisation(seed.plan, reorganisation.reorganisation);
    if (!next.ok) throw new Error(JSON.stringify(next.errors));

    const imported = await api.call('POST', '/api/plans', office, { definition: JSON.stringify(next.plan) });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const { diff } = imported.body.amendment;
    expect(diff.assignments.added).toEqual([]);
    expect(diff.assignments.removed).toEqual([]);
    // Only what runs is handed over: the open assignment Cầu Kè leads.
    expect(diff.assignments.handedOver.map((h: { id: string; from: string; to: string; endedBy: string; successorAssumed: boolean }) => [h.id, h.from, h.to, h.endedBy, h.successorAssumed])).toEqual([
      [concretisation, 'HU-CK', 'DU-X-CAUKE', 'abolished', true],
    ]);
    expect(diff.units.added).toEqual(expect.arrayContaining(['DU-X-CAUKE', 'BTC-TU-VL']));
    expect(diff.units.changed).toEqual(expect.arrayContaining(['HU-CK', 'BTC-TU']));

    const reason = 'Sắp xếp tổ chức bộ máy 2025 (TV-VL-2025)';
    const applied = await api.call('POST', `/api/plans/${imported.body.id}/amendment`, office, { reason });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const record = await eventually(async () => {
      const p = (await api.call('GET', `/api/plans/${planId}/progress`, office)).body;
      return p.changes?.find((c: { changeId: string; applied: boolean }) => c.changeId === imported.body.key && c.applied);
    }, 30_000, 'the hand-over carried out');
    expect(record).toMatchObject({ handedOver: 1, started: 0, cancelled: 0, shifted: 0 });

    // The read model: new lead, the same deadlines and escalation level.
    const after = await eventually(async () => {
      const r = await readModel(concretisation);
      return r.lead_unit === 'DU-X-CAUKE' ? r : undefined;
    }, 30_000, 'the read model after the hand-over');
    expect(after).toMatchObject({ lifecycle: before.lifecycle, escalation_level: before.escalation_level, nominal: before.nominal, effective: before.effective });
    expect(after.original_due_at.toISOString()).toBe(before.original_due_at.toISOString());

    // The successor's people see it with its history (the old unit's extension request is there).
    const seen = await api.call('GET', `/api/assignments/${encodeURIComponent(concretisation)}`, newHead);
    expect(seen.status).toBe(200);
    expect(seen.body.state.leadUnit).toBe('DU-X-CAUKE');
    expect(seen.body.state.extensions).toEqual([expect.objectContaining({ reason: 'Chờ hướng dẫn', status: 'pending' })]);
    expect(seen.body.state.escalationLevel).toBe(before.escalation_level);
    const inbox = await api.call('GET', `/api/assignments?plan=${encodeURIComponent(key)}`, newHead);
    expect(inbox.status).toBe(200);
    expect(JSON.stringify(inbox.body)).toContain(concretisation);
    const events = (await worker.db.query(`SELECT type, payload FROM assignment_events WHERE assignment_id = $1 ORDER BY seq`, [concretisation])) as { type: string; payload: { from?: string; to?: string; reason?: string } }[];
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['opened', 'extension-requested', 'handed-over']));
    expect(events.find((e) => e.type === 'handed-over')!.payload).toMatchObject({ from: 'HU-CK', to: 'DU-X-CAUKE', reason: `Điều chỉnh kế hoạch ${imported.body.key}: ${reason}` });

    // The old unit's people can neither see nor act on it; the successor's can.
    expect((await api.call('GET', `/api/assignments/${encodeURIComponent(concretisation)}`, oldHead)).status).toBe(403);
    const oldSubmit = await api.call('POST', `/api/assignments/${encodeURIComponent(concretisation)}/reports`, oldHead, { version: 1, text: 'Kế hoạch cụ thể hóa', attachments: [], cites: seed.plan.plan.number });
    expect(oldSubmit.status).toBe(403);
    const newSubmit = await api.call('POST', `/api/assignments/${encodeURIComponent(concretisation)}/reports`, newHead, { version: 1, text: 'Kế hoạch cụ thể hóa', attachments: [], cites: seed.plan.plan.number });
    expect(newSubmit.status, JSON.stringify(newSubmit.body)).toBe(201);

    // The dashboard shows the successor's column by its name, with the handed-over work.
    const web = webSession(api.baseUrl);
    expect((await web.post('/login', { username: officeUsername, password: TEST_PASSWORD, next: '/' })).status).toBe(303);
    const dashboard = (await web.get(`/plans/${planId}`)).text;
    expect(dashboard).toContain('<abbr title="Đảng ủy xã Cầu Kè">Đảng ủy xã Cầu Kè</abbr>');
    expect(dashboard).toContain('thêm 0, hủy 0, đổi hạn 0, chuyển giao 1');

    // Temporal: the search attribute follows, the history names the hand-over.
    const handle = worker.client.workflow.getHandle(concretisation);
    await eventually(async () => ((await handle.describe()).searchAttributes['DhUnit']?.[0] === 'DU-X-CAUKE' ? true : undefined), 30_000, 'DhUnit updated');
    const signals = ((await handle.fetchHistory()).events ?? []).map((e) => e.workflowExecutionSignaledEventAttributes?.signalName).filter(Boolean);
    expect(signals).toContain('handOver');
    const final = await handle.result();
    expect(final).toMatchObject({ lifecycle: 'done', leadUnit: 'DU-X-CAUKE' });
    recordHistory('assignment-handed-over-by-reorganisation', concretisation);
  });
});
