import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, type ApiHarness } from '../support/api-harness';
import { ownSeedPlan } from '../support/seed-plan';

/** What an integrator's receiver does (README, "Webhooks"): verify the signature and the timestamp, then take the event. */
function verify(secret: string, req: IncomingMessage, raw: string): boolean {
  const timestamp = Number(req.headers['dieu-hanh-timestamp']);
  const signature = String(req.headers['dieu-hanh-signature'] ?? '');
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`;
  return signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

interface Received {
  delivery: string;
  event: string;
  verified: boolean;
  body: { id: string; type: string; planKey: string; assignment?: { id: string } };
}

/** A real HTTP receiver on a fixed port, which can be taken down and brought back. */
class Receiver {
  readonly secret = `secret-${randomUUID()}-${randomUUID()}`;
  readonly received: Received[] = [];
  private server?: Server;
  port = 0;

  async up(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (raw += chunk));
      req.on('end', () => {
        const verified = verify(this.secret, req, raw);
        this.received.push({ delivery: String(req.headers['dieu-hanh-delivery']), event: String(req.headers['dieu-hanh-event']), verified, body: JSON.parse(raw) });
        res.writeHead(verified ? 204 : 401).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  get url() {
    return `http://127.0.0.1:${this.port}/hooks/dieu-hanh`;
  }

  of(planKey: string) {
    return this.received.filter((r) => r.body.planKey === planKey);
  }
}

describe('outbound webhooks: signed events for a drafting -> approval run, at least once, never slowing a person', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  const up = new Receiver();
  const later = new Receiver();
  const tokens: Record<string, string> = {};
  const hooks: Record<string, string> = {};
  const answeredMs: number[] = [];
  let planKey = '';
  let assignmentId = '';

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue, { WEBHOOK_POLL_SECONDS: '0.5', WEBHOOK_RETRY_INITIAL_SECONDS: '0.5', WEBHOOK_RETRY_MAX_SECONDS: '2', WEBHOOK_MAX_ATTEMPTS: '1000' });
    await up.up();
    // Reserve a port for the receiver that is down at first.
    await later.up();
    await later.down();
  });

  afterAll(async () => {
    await up.down();
    await later.down();
    await api?.close();
    await worker?.close();
  });

  it('delivers every event of the run once, signed (HMAC-SHA256 over timestamp.body), to a receiver that is up', async () => {
    const seed = ownSeedPlan('HOOK');
    const tag = seed.plan.plan.code.toLowerCase();
    const probe = seed.specsFor('probe').find((s) => s.kind === 'drafting' && s.taskCodes.includes('FT2'))!;
    await api.createUser({ username: `${tag}-admin`, displayName: 'Quản trị', unitCode: seed.plan.plan.standingOffice, roles: ['administrator', 'standing-office'] });
    await api.createUser({ username: `${tag}-drafter`, displayName: 'Chuyên viên', unitCode: probe.leadUnit, roles: ['drafter'] });
    for (const [i, step] of probe.approvalChain!.entries()) {
      await api.createUser({ username: `${tag}-approver-${i}`, displayName: `Người duyệt ${i}`, unitCode: step.unit, roles: ['approver', step.role as never] });
    }
    for (const who of ['admin', 'drafter', ...probe.approvalChain!.map((_, i) => `approver-${i}`)]) tokens[who] = await api.login(`${tag}-${who}`);

    // Only an administrator registers; the input is checked like any other.
    const refused = await api.call('POST', '/api/webhooks', tokens.drafter, { url: up.url, secret: up.secret, eventTypes: ['decision'] });
    expect(refused.status).toBe(403);
    const bad = await api.call('POST', '/api/webhooks', tokens.admin, { url: 'ftp://x', secret: 'short', eventTypes: ['nope'] });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['eventTypes', 'secret', 'url']);

    const all = ['plan.launched', 'assignment.opened', 'draft.submitted', 'decision', 'extension.decided', 'reminder', 'escalation', 'assignment.done', 'assignment.cancelled'];
    for (const [name, receiver] of [['up', up], ['later', later]] as const) {
      const created = await api.call('POST', '/api/webhooks', tokens.admin, { url: receiver.url, secret: receiver.secret, eventTypes: all });
      expect(created.status).toBe(201);
      expect(created.body).not.toHaveProperty('secret');
      hooks[name] = created.body.id;
    }

    const timed = async <T>(action: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      const result = await action();
      answeredMs.push(performance.now() - started);
      return result;
    };
    const imported = await api.call('POST', '/api/plans', tokens.admin, { definition: seed.text });
    planKey = imported.body.key;
    assignmentId = probe.id.replace(':probe:', `:${planKey}:`);
    expect((await timed(() => api.call('POST', `/api/plans/${imported.body.id}/launch`, tokens.admin, { assignments: [assignmentId] }))).status).toBe(202);
    const url = `/api/assignments/${encodeURIComponent(assignmentId)}`;
    await eventually(async () => ((await api.call('GET', url, tokens.drafter)).status === 200 ? true : undefined), 30_000, 'the assignment');
    const submitted = await timed(() => api.call('POST', `${url}/drafts`, tokens.drafter, { version: 1, text: 'Dự thảo kế hoạch.', attachments: [] }));
    expect(submitted.status).toBe(201);
    const approvalUrl = `/api/approvals/${encodeURIComponent(submitted.body.approvalId)}`;
    await eventually(async () => ((await api.call('GET', approvalUrl, tokens.admin)).status === 200 ? true : undefined), 30_000, 'the approval');
    for (const [i, step] of probe.approvalChain!.entries()) {
      const decided = await timed(() => api.call('POST', `${approvalUrl}/decision`, tokens[`approver-${i}`], { version: 1, step: step.step, decision: 'approve', comment: 'Đồng ý' }));
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    }

    // One decision per approval step (two), each naming its step and who decided.
    const expected = ['plan.launched', 'assignment.opened', 'draft.submitted', 'decision', 'decision', 'assignment.done'];
    const got = await eventually(async () => {
      const mine = up.of(planKey);
      return mine.some((r) => r.event === 'assignment.done') && mine.filter((r) => r.event === 'decision').length >= 2 ? mine : undefined;
    }, 60_000, 'the events at the receiver');
    expect(got.every((r) => r.verified), JSON.stringify(got)).toBe(true);
    // The seed plan's deadlines are in 2020: its reminders and escalations fire at once, and are events too.
    const core = got.filter((r) => !['reminder', 'escalation'].includes(r.event));
    expect(core.map((r) => r.event).sort()).toEqual([...expected].sort());
    expect(got.some((r) => r.event === 'escalation')).toBe(true);
    expect(new Set(got.map((r) => r.delivery)).size).toBe(got.length);
    // Assignment events arrive in the order they happened.
    const order = core.filter((r) => r.body.assignment?.id === assignmentId).map((r) => r.event);
    expect(order).toEqual(['assignment.opened', 'draft.submitted', 'decision', 'decision', 'assignment.done']);
    const decisions = core.filter((r) => r.event === 'decision').map((r) => r.body as unknown as { data: { step: string; decision: string; comment: string } });
    expect(decisions.map((d) => d.data.step)).toEqual(probe.approvalChain!.map((s) => s.step));
    expect(decisions.every((d) => d.data.decision === 'approve' && d.data.comment === 'Đồng ý')).toBe(true);

    // The receiver's check refuses a changed body, another key and a replayed (old) timestamp.
    const now = Math.floor(Date.now() / 1000);
    const signed = (secret: string, ts: number, body: string) => ({ headers: { 'dieu-hanh-timestamp': String(ts), 'dieu-hanh-signature': `v1=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}` } }) as unknown as IncomingMessage;
    expect(verify(up.secret, signed(up.secret, now, '{"a":1}'), '{"a":1}')).toBe(true);
    expect(verify(up.secret, signed(up.secret, now, '{"a":1}'), '{"a":2}')).toBe(false);
    expect(verify(up.secret, signed('another-secret-of-enough-length-000', now, '{"a":1}'), '{"a":1}')).toBe(false);
    expect(verify(up.secret, signed(up.secret, now - 301, '{"a":1}'), '{"a":1}')).toBe(false);

    // The administrator sees each delivery's status.
    const deliveries = await api.call('GET', `/api/webhooks/${hooks.up}/deliveries?status=delivered&pageSize=500`, tokens.admin);
    expect(deliveries.status).toBe(200);
    const ours = deliveries.body.items.filter((d: { payload: { planKey: string } }) => d.payload.planKey === planKey);
    expect(ours.map((d: { eventId: string }) => d.eventId).sort()).toEqual(got.map((r) => r.delivery).sort());
    expect(ours.every((d: { attempts: number; lastStatus: number }) => d.attempts === 1 && d.lastStatus === 204)).toBe(true);
  });

  it('holds the events for a receiver that is down, shows the failed attempts, and delivers each once when it is back; people were answered at normal speed', async () => {
    expect(later.of(planKey)).toEqual([]);
    const failing = await eventually(async () => {
      const res = await api.call('GET', `/api/webhooks/${hooks.later}/deliveries?status=pending&pageSize=500`, tokens.admin);
      const ours = res.body.items.filter((d: { payload: { planKey: string } }) => d.payload.planKey === planKey);
      return ours.length > 0 && ours.some((d: { attempts: number }) => d.attempts >= 2) ? ours : undefined;
    }, 30_000, 'retries to the receiver that is down');
    expect(failing[0].lastStatus).toBeNull();
    expect(failing[0].lastError).toMatch(/fetch failed|ECONNREFUSED/i);
    // Every action was answered while the receiver was down: webhooks run after, apart from the Updates.
    expect(Math.max(...answeredMs)).toBeLessThan(5_000);

    await later.up();
    const expected = up.of(planKey).map((r) => r.delivery).sort();
    const got = await eventually(async () => {
      const mine = later.of(planKey);
      return mine.length >= expected.length ? mine : undefined;
    }, 60_000, 'the held events at the receiver once back');
    expect(got.every((r) => r.verified)).toBe(true);
    // Once each (ids are the events': a receiver can also deduplicate on Dieu-Hanh-Delivery).
    await new Promise((r) => setTimeout(r, 2_000));
    expect(later.of(planKey).map((r) => r.delivery).sort()).toEqual(expected.map((id) => id));
    const after = await api.call('GET', `/api/webhooks/${hooks.later}/deliveries?pageSize=500`, tokens.admin);
    const ours = after.body.items.filter((d: { payload: { planKey: string } }) => d.payload.planKey === planKey);
    expect(ours.every((d: { status: string }) => d.status === 'delivered')).toBe(true);
    expect(ours.some((d: { attempts: number }) => d.attempts > 1)).toBe(true);
  });
});
