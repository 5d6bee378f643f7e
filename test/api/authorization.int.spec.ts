import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { addDays, localDateInVietnam } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { requestCommentsUpdate } from '@dieu-hanh/workflows';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';
import { ownSeedPlan } from '../support/seed-plan';
import { webSession, type WebSession } from '../support/web-session';

const AUTHZ_CELLS_FILE = path.join(__dirname, '..', '..', 'test-artifacts', 'authz-cells.json');

type Who = 'anonymous' | 'drafter' | 'otherDrafter' | 'unitHead' | 'approver' | 'office' | 'auditor' | 'admin';
const EVERYONE: Who[] = ['anonymous', 'drafter', 'otherDrafter', 'unitHead', 'approver', 'office', 'auditor', 'admin'];
const SIGNED_IN = EVERYONE.filter((w) => w !== 'anonymous');

/** One request of a cell: an API call (JSON, bearer token) or a web form post (cookie session, CSRF token). */
type Req =
  | { api: true; method: string; path: string; body?: unknown; token?: string }
  | { api: false; path: string; form: Record<string, string>; session?: WebSession; formPage?: string };

interface Row {
  name: string;
  allow: Who[];
  /** Each allowed cell gets a valid request for a real target it may act on. */
  request: (who: Who) => Req;
  /** The precise answer of an allowed cell: its success status, or the domain refusal its state forces. */
  ok: (who: Who) => { status: number; reason?: string };
}

/**
 * Role × endpoint, API and web forms. Every allowed cell sends a valid body for a real
 * target that role may act on and expects the precise status (success, or the one domain
 * 409 the state forces); every forbidden cell expects 403 with a reason (401 on the API and
 * a redirect to the login form on the web for the anonymous caller), and changes nothing.
 */
describe('authorization: role x endpoint', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let db: DataSource;
  const tokens: Partial<Record<Who, string>> = {};
  const spareTokens: Partial<Record<Who, string>> = {};
  const web: Partial<Record<Who, WebSession>> = {};
  const spareWeb: Partial<Record<Who, WebSession>> = {};
  const usernames: Partial<Record<Who, string>> = {};
  let planId: string;
  let planKey: string;
  /** Drafting assignments of the drafter's unit, one per cell that changes one. */
  let D: AssignmentSpec[];
  let review: AssignmentSpec;
  /** II.2.b FT1: led by BTC-TU, coordinated by the drafter's unit, with a comment request waiting for it. */
  let coordinated: AssignmentSpec;
  let proposal: Pick<AssignmentSpec, 'id'>;
  let approvalApi: string;
  let approvalWeb: string;
  let dashboardRequest: string;
  const extensionFromApi: { id?: string } = {};
  const plansFor: Partial<Record<'launch' | 'close', Partial<Record<Who, { id: string; assignment: string }>>>> = {};
  const delegationFor: Partial<Record<Who, string>> = {};
  const noticeFor: Partial<Record<Who, string>> = {};
  const today = localDateInVietnam(new Date());
  let seed: ReturnType<typeof ownSeedPlan>;
  let colleague: string;
  const checked = { allowed: 0, forbidden: 0 };

  async function importPlan(token: string, launch?: number): Promise<{ id: string; key: string; specs: AssignmentSpec[] }> {
    const own = ownSeedPlan('AUTHZ');
    const imported = await api.call('POST', '/api/plans', token, { definition: own.text });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const specs = own.specsFor(imported.body.key);
    if (launch) {
      const launched = await api.call('POST', `/api/plans/${imported.body.id}/launch`, token, { assignments: specs.filter((s) => s.kind === 'drafting').slice(0, launch).map((s) => s.id) });
      expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    }
    return { id: imported.body.id, key: imported.body.key, specs };
  }

  const visible = (id: string, token: string) =>
    eventually(async () => ((await api.call('GET', `/api/assignments/${encodeURIComponent(id)}`, token)).status === 200 ? true : undefined), 30_000, id);

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    db = api.app.get(DataSource);
    seed = ownSeedPlan('AUTHZ');
    const office = seed.plan.plan.standingOffice;
    const probe = seed.specsFor('probe').find((s) => s.kind === 'drafting')!;
    const step = probe.approvalChain![0];
    const lead = probe.leadUnit;
    const otherUnit = seed.plan.units.find((u) => u.code !== lead && u.code !== office && u.code !== step.unit)!.code;
    const users: Record<Exclude<Who, 'anonymous'>, { unitCode: string; roles: string[] }> = {
      drafter: { unitCode: lead, roles: ['drafter'] },
      otherDrafter: { unitCode: otherUnit, roles: ['drafter', 'unit-head'] },
      unitHead: { unitCode: lead, roles: ['unit-head'] },
      approver: { unitCode: step.unit, roles: ['approver', step.role] },
      office: { unitCode: office, roles: ['standing-office'] },
      auditor: { unitCode: office, roles: ['auditor'] },
      admin: { unitCode: office, roles: ['administrator'] },
    };
    const suffix = Date.now().toString(36);
    for (const [who, u] of Object.entries(users) as [Who, { unitCode: string; roles: string[] }][]) {
      usernames[who] = `authz-${who}-${suffix}`;
      await api.createUser({ username: usernames[who]!, displayName: who, unitCode: u.unitCode, roles: u.roles as never });
      tokens[who] = await api.login(usernames[who]!);
      spareTokens[who] = await api.login(usernames[who]!);
      for (const sessions of [web, spareWeb]) {
        const s = webSession(api.baseUrl);
        expect((await s.post('/login', { username: usernames[who]!, password: TEST_PASSWORD, next: '/' })).status).toBe(303);
        sessions[who] = s;
      }
    }
    usernames.anonymous = `authz-anonymous-${suffix}`;
    await api.createUser({ username: usernames.anonymous, displayName: 'anonymous', unitCode: lead, roles: ['drafter'] });
    colleague = `authz-colleague-${suffix}`;
    await api.createUser({ username: colleague, displayName: 'colleague', unitCode: step.unit, roles: ['approver'] });

    // The main plan: seven drafting assignments of the drafter's unit, its review and its policy proposal.
    const imported = await api.call('POST', '/api/plans', tokens.admin, { definition: seed.text });
    expect(imported.status).toBe(201);
    planId = imported.body.id;
    planKey = imported.body.key;
    const specs = seed.specsFor(planKey);
    D = specs.filter((s) => s.kind === 'drafting' && s.leadUnit === lead).slice(0, 7);
    expect(D).toHaveLength(7);
    review = specs.find((s) => s.kind === 'review' && s.leadUnit === lead)!;
    coordinated = specs.find((s) => s.kind === 'drafting' && s.leadUnit !== lead && s.coordinatingUnits.includes(lead))!;
    const launched = await api.call('POST', `/api/plans/${planId}/launch`, tokens.admin, { assignments: [...D, review, coordinated].map((s) => s.id) });
    expect(launched.status).toBe(202);
    // The policy proposal (III.4) is available, not imposed: the unit head opens one.
    const opened = await api.call('POST', `/api/plans/${planId}/available-obligations/III.4/assignments`, tokens.unitHead, { subject: 'Đề xuất cơ chế thử nghiệm', targetDate: '2031-06-30' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    proposal = { id: opened.body.id };
    for (const s of [...D, review, proposal, coordinated]) await visible(s.id, tokens.admin!);
    // The lead unit of II.2.b asks the drafter's unit for comments (straight to the workflow: no matrix person leads it).
    await worker.client.workflow.getHandle(coordinated.id).executeUpdate(requestCommentsUpdate, {
      args: [{ requestId: 'authz-r1', units: [lead], question: 'Đề nghị góp ý dự thảo', actor: { userId: 'authz-lead', name: 'Chủ trì', unit: coordinated.leadUnit, roles: ['drafter'] } }],
    });

    // Approvals waiting at their first step: D[2] for the API, D[4] for the web form.
    for (const [i, set] of [[2, (id: string) => (approvalApi = id)], [4, (id: string) => (approvalWeb = id)]] as const) {
      const submitted = await api.call('POST', `/api/assignments/${encodeURIComponent(D[i].id)}/drafts`, tokens.drafter, { version: 1, text: 'Dự thảo', attachments: [] });
      expect(submitted.status).toBe(201);
      set(submitted.body.approvalId);
      await eventually(async () => ((await api.call('GET', `/api/approvals/${encodeURIComponent(submitted.body.approvalId)}`, tokens.admin)).status === 200 ? true : undefined));
    }
    // A pending extension on D[2] for the dashboard's form.
    const asked = await api.call('POST', `/api/assignments/${encodeURIComponent(D[2].id)}/extension-requests`, tokens.unitHead, { reason: 'Chờ số liệu', proposedDate: '2031-12-31' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    dashboardRequest = asked.body.requestId;
    await eventually(async () => ((await api.call('GET', '/api/extension-requests', tokens.office)).body.some((x: { requestId: string }) => x.requestId === dashboardRequest) ? true : undefined));

    // Plans of their own for the cells that launch or close one.
    for (const who of ['office', 'admin'] as const) {
      const toLaunch = await importPlan(tokens.admin!);
      (plansFor.launch ??= {})[who] = { id: toLaunch.id, assignment: toLaunch.specs.find((s) => s.kind === 'drafting')!.id };
      const toClose = await importPlan(tokens.admin!, 1);
      (plansFor.close ??= {})[who] = { id: toClose.id, assignment: toClose.specs.find((s) => s.kind === 'drafting')!.id };
    }
    // Delegations to revoke: one the approver gave (revoked by the approver, then one by the Standing Office).
    for (const who of ['approver', 'office'] as const) {
      const given = await api.call('POST', '/api/delegations', tokens.approver, { toUsername: colleague, validFrom: addDays(today, 1), validTo: addDays(today, 2), reason: `để thu hồi (${who})` });
      expect(given.status, JSON.stringify(given.body)).toBe(201);
      delegationFor[who] = given.body.id;
    }
    // A notice addressed to each signed-in person's unit (the read model's notices table).
    for (const who of SIGNED_IN) {
      const [row] = await db.query(
        `INSERT INTO notifications (key, recipient_unit, assignment_id, plan_key, kind, level, subject, body) VALUES ($1, $2, $3, $4, 'reminder', 0, 'Nhắc hạn', 'Kiểm thử') RETURNING id`,
        [`authz:${suffix}:${who}`, users[who as Exclude<Who, 'anonymous'>].unitCode, D[0].id, planKey],
      );
      noticeFor[who] = row.id;
    }
  });

  afterAll(async () => {
    console.log(`authz cells checked: ${checked.allowed + checked.forbidden} (allowed, with valid bodies: ${checked.allowed}; forbidden: ${checked.forbidden})`);
    // For the fault suite's table (test/faults), when it runs after this test.
    mkdirSync(path.dirname(AUTHZ_CELLS_FILE), { recursive: true });
    writeFileSync(AUTHZ_CELLS_FILE, JSON.stringify({ cells: checked.allowed + checked.forbidden, allowed: checked.allowed, forbidden: checked.forbidden }));
    await api?.close();
    await worker?.close();
  });

  const enc = (s: Pick<AssignmentSpec, 'id'>) => encodeURIComponent(s.id);
  const get = (path: string): Row['request'] => () => ({ api: true, method: 'GET', path });
  const ok = (status: number) => () => ({ status });
  const draft = { version: 1, text: 'Dự thảo theo phân công', attachments: [{ name: 'Tờ trình', ref: 'VB-01' }] };
  const READERS: Who[] = ['approver', 'office', 'auditor', 'admin'];

  const table: Row[] = [
    { name: 'GET /health', allow: EVERYONE, request: get('/health'), ok: ok(200) },
    { name: 'GET /api/plans/schema', allow: EVERYONE, request: get('/api/plans/schema'), ok: ok(200) },
    { name: 'GET /api/plans', allow: SIGNED_IN, request: get('/api/plans'), ok: ok(200) },
    {
      name: 'POST /api/plans',
      allow: ['office', 'admin'],
      request: () => ({ api: true, method: 'POST', path: '/api/plans', body: { definition: ownSeedPlan('AUTHZ-UP').text } }),
      ok: ok(201),
    },
    {
      name: 'POST /api/plans/{id}/launch',
      allow: ['office', 'admin'],
      request: (who) => {
        const own = plansFor.launch![who];
        return own ? { api: true, method: 'POST', path: `/api/plans/${own.id}/launch`, body: { assignments: [own.assignment] } } : { api: true, method: 'POST', path: `/api/plans/${planId}/launch`, body: {} };
      },
      ok: ok(202),
    },
    { name: 'GET /api/plans/{id}/matrix', allow: READERS, request: () => get(`/api/plans/${planId}/matrix`)('anonymous'), ok: ok(200) },
    {
      name: 'POST /api/plans/{id}/deadline-shift',
      allow: ['office'],
      request: () => ({ api: true, method: 'POST', path: `/api/plans/${planId}/deadline-shift`, body: { date: '2030-06-28', reason: 'Theo thông báo của Thường trực' } }),
      ok: ok(200),
    },
    { name: 'GET /api/assignments', allow: SIGNED_IN, request: get('/api/assignments'), ok: ok(200) },
    { name: 'GET /api/assignments/{id}', allow: ['drafter', 'unitHead', ...READERS], request: () => get(`/api/assignments/${enc(D[0])}`)('anonymous'), ok: ok(200) },
    {
      name: 'POST /api/assignments/{id}/drafts',
      allow: ['drafter', 'unitHead'],
      request: (who) => ({ api: true, method: 'POST', path: `/api/assignments/${enc(who === 'unitHead' ? D[1] : D[0])}/drafts`, body: draft }),
      ok: ok(201),
    },
    {
      name: 'POST /api/assignments/{id}/reports',
      allow: ['drafter', 'unitHead'],
      request: (who) => ({ api: true, method: 'POST', path: `/api/assignments/${enc(who === 'unitHead' ? proposal : review)}/reports`, body: draft }),
      ok: ok(201),
    },
    { name: 'GET /api/assignments/{id}/files', allow: ['drafter', 'unitHead', ...READERS], request: () => get(`/api/assignments/${enc(D[0])}/files`)('anonymous'), ok: ok(200) },
    {
      name: 'POST /api/assignments/{id}/comment-requests',
      allow: ['drafter', 'unitHead'],
      request: () => ({ api: true, method: 'POST', path: `/api/assignments/${enc(D[0])}/comment-requests`, body: { units: [coordinated.leadUnit], question: 'Đề nghị góp ý dự thảo' } }),
      // Past role and unit, the state forces the refusal: II.2.a has no coordinating unit to ask.
      ok: () => ({ status: 400, reason: 'INVALID' }),
    },
    {
      name: 'POST /api/assignments/{id}/comments',
      allow: ['drafter', 'unitHead'],
      request: () => ({ api: true, method: 'POST', path: `/api/assignments/${enc(coordinated)}/comments`, body: { requestId: 'authz-r1', text: 'Thống nhất với dự thảo' } }),
      // One answer per unit: the unit head finds the drafter's answer already given.
      ok: (who) => (who === 'drafter' ? { status: 200 } : { status: 409, reason: 'ALREADY_ANSWERED' }),
    },
    {
      name: 'POST /api/assignments/{id}/extension-requests',
      allow: ['unitHead'],
      request: () => ({ api: true, method: 'POST', path: `/api/assignments/${enc(D[3])}/extension-requests`, body: { reason: 'Chờ hướng dẫn của Trung ương', proposedDate: '2031-12-31' } }),
      ok: ok(201),
    },
    { name: 'GET /api/extension-requests', allow: READERS, request: get('/api/extension-requests'), ok: ok(200) },
    {
      name: 'POST /api/extension-requests/{id}/decision',
      allow: ['office'],
      request: () => ({ api: true, method: 'POST', path: `/api/extension-requests/${extensionFromApi.id}/decision`, body: { granted: false, comment: 'Chưa đủ căn cứ' } }),
      ok: ok(200),
    },
    { name: 'GET /api/approvals/{id}', allow: ['drafter', 'unitHead', ...READERS], request: () => get(`/api/approvals/${encodeURIComponent(approvalApi)}`)('anonymous'), ok: ok(200) },
    {
      name: 'POST /api/approvals/{id}/decision',
      allow: ['approver', 'office'],
      request: () => ({ api: true, method: 'POST', path: `/api/approvals/${encodeURIComponent(approvalApi)}/decision`, body: { version: 1, step: D[2].approvalChain![0].step, decision: 'approve' } }),
      // The approver decides the first step; the Standing Office, past the role check, finds that step closed.
      ok: (who) => (who === 'approver' ? { status: 200 } : { status: 409, reason: 'WRONG_STEP' }),
    },
    { name: 'GET /api/notifications', allow: SIGNED_IN, request: get('/api/notifications'), ok: ok(200) },
    {
      name: 'POST /api/notifications/{id}/read',
      allow: SIGNED_IN.filter((w) => w !== 'auditor'),
      request: (who) => ({ api: true, method: 'POST', path: `/api/notifications/${noticeFor[who] ?? noticeFor.auditor}/read` }),
      ok: ok(200),
    },
    {
      name: 'POST /api/delegations',
      allow: ['approver'],
      request: () => ({ api: true, method: 'POST', path: '/api/delegations', body: { toUsername: colleague, validFrom: addDays(today, 10), validTo: addDays(today, 11), reason: 'Đi công tác' } }),
      ok: ok(201),
    },
    {
      name: 'POST /api/delegations/{id}/revoke',
      allow: ['approver', 'office'],
      request: (who) => ({ api: true, method: 'POST', path: `/api/delegations/${delegationFor[who] ?? delegationFor.office}/revoke` }),
      ok: ok(200),
    },
    { name: 'GET /api/delegations', allow: SIGNED_IN, request: get('/api/delegations'), ok: ok(200) },
    { name: 'GET /api/auth/me', allow: SIGNED_IN, request: get('/api/auth/me'), ok: ok(200) },
    { name: 'GET /api/plans/{id}/available-obligations', allow: SIGNED_IN, request: () => get(`/api/plans/${planId}/available-obligations`)('anonymous'), ok: ok(200) },
    {
      // The other drafter's unit is not among III.4's units: refused too (403, OTHER_UNIT).
      name: 'POST /api/plans/{id}/available-obligations/{obligation}/assignments',
      allow: ['drafter', 'unitHead'],
      request: () => ({ api: true, method: 'POST', path: `/api/plans/${planId}/available-obligations/III.4/assignments`, body: { subject: 'Đề xuất sửa đổi chính sách', targetDate: '2031-09-30' } }),
      ok: ok(201),
    },
    { name: 'GET /api/plans/{id}/monthly-report', allow: READERS, request: () => get(`/api/plans/${planId}/monthly-report?period=2020-03`)('anonymous'), ok: ok(200) },
    { name: 'GET /api/plans/{id}/monthly-report.xlsx', allow: READERS, request: () => get(`/api/plans/${planId}/monthly-report.xlsx?period=2020-03`)('anonymous'), ok: ok(200) },
    {
      name: 'POST /api/auth/logout',
      allow: SIGNED_IN,
      request: (who) => ({ api: true, method: 'POST', path: '/api/auth/logout', token: spareTokens[who] }),
      ok: ok(204),
    },
    // Web forms: success is a redirect (post/redirect/get); a refusal is a page with its status.
    {
      name: 'POST /login (web)',
      allow: EVERYONE,
      request: (who) => ({ api: false, path: '/login', form: { username: usernames[who]!, password: TEST_PASSWORD, next: '/' }, session: webSession(api.baseUrl), formPage: '/login' }),
      ok: ok(303),
    },
    {
      name: 'POST /assignments/{id}/decision (web)',
      allow: ['approver', 'office'],
      request: () => ({ api: false, path: `/assignments/${enc(D[4])}/decision`, form: { approvalId: approvalWeb, version: '1', step: D[4].approvalChain![0].step, decision: 'approve', comment: '' } }),
      ok: (who) => ({ status: who === 'approver' ? 303 : 409 }),
    },
    {
      name: 'POST /assignments/{id}/submissions (web)',
      allow: ['drafter', 'unitHead'],
      request: (who) => ({ api: false, path: `/assignments/${enc(who === 'unitHead' ? D[6] : D[5])}/submissions`, form: { version: '1', text: 'Dự thảo từ biểu mẫu', attachmentName: '', attachmentRef: '' } }),
      ok: ok(303),
    },
    {
      name: 'POST /assignments/{id}/extension-requests (web)',
      allow: ['unitHead'],
      request: () => ({ api: false, path: `/assignments/${enc(D[1])}/extension-requests`, form: { reason: 'Chờ ý kiến của Thường trực', proposedDate: '31/12/2031' } }),
      ok: ok(303),
    },
    {
      name: 'POST /assignments/{id}/extension-decision (web)',
      allow: ['office'],
      request: () => ({ api: false, path: `/assignments/${enc(D[1])}/extension-decision`, form: { assignmentId: D[1].id, requestId: webExtensionRequest(), decision: 'refuse', comment: 'Chưa đủ căn cứ', date: '' } }),
      ok: ok(303),
    },
    {
      name: 'POST /plans/{id}/extension-decisions (web)',
      allow: ['office'],
      request: () => ({ api: false, path: `/plans/${planId}/extension-decisions`, form: { assignmentId: D[2].id, requestId: dashboardRequest, decision: 'refuse', comment: 'Chưa đủ căn cứ', date: '' } }),
      ok: ok(303),
    },
    {
      name: 'POST /plans/{id}/available/{obligation} (web)',
      allow: ['drafter', 'unitHead'],
      request: () => ({ api: false, path: `/plans/${planId}/available/III.4`, form: { subject: 'Đề xuất từ biểu mẫu', targetDate: '30/09/2031' } }),
      ok: ok(303),
    },
    {
      name: 'POST /logout (web)',
      allow: SIGNED_IN,
      request: (who) => ({ api: false, path: '/logout', form: {}, session: spareWeb[who] }),
      ok: ok(303),
    },
    // Last: closing a plan cancels its assignments (each allowed cell closes a plan of its own).
    {
      name: 'POST /api/plans/{id}/close',
      allow: ['office', 'admin'],
      request: (who) => ({ api: true, method: 'POST', path: `/api/plans/${plansFor.close![who]?.id ?? planId}/close`, body: { reason: 'Kết thúc kiểm thử' } }),
      ok: ok(202),
    },
  ];

  let webRequestId: string | undefined;
  function webExtensionRequest(): string {
    return webRequestId ?? 'ext-none';
  }

  const cases = table.flatMap((row) => EVERYONE.map((who) => ({ ...row, who, allowed: row.allow.includes(who) })));

  it.each(cases)('$name as $who -> allowed: $allowed', async ({ name, who, allowed, request, ok: expected }) => {
    // Targets created by earlier cells.
    if (name === 'POST /api/extension-requests/{id}/decision' && !extensionFromApi.id) {
      const rows = (await api.call('GET', '/api/extension-requests', tokens.office)).body as { requestId: string; assignmentId: string }[];
      extensionFromApi.id = rows.find((r) => r.assignmentId === D[3].id)?.requestId;
    }
    if (name === 'POST /assignments/{id}/extension-decision (web)' && !webRequestId) {
      webRequestId = await eventually(async () =>
        ((await api.call('GET', '/api/extension-requests', tokens.office)).body as { requestId: string; assignmentId: string }[]).find((r) => r.assignmentId === D[1].id)?.requestId,
      );
    }
    const req = request(who);
    let status: number;
    let body: { message?: string; reason?: string } | string;
    let location: string | null = null;
    if (req.api) {
      const res = await api.call(req.method, req.path, who === 'anonymous' ? undefined : (req.token ?? tokens[who]), req.body);
      status = res.status;
      body = res.body;
    } else {
      const session = req.session ?? (who === 'anonymous' ? webSession(api.baseUrl) : web[who]!);
      // The CSRF token comes from a page of the same session: the login form before logging in, the inbox after.
      const res = await session.post(req.path, req.form, req.formPage ?? (who === 'anonymous' ? '/login' : '/'));
      status = res.status;
      body = res.text;
      location = res.headers.get('location');
    }
    const shown = typeof body === 'string' ? body.slice(0, 300) : JSON.stringify(body);
    if (allowed) {
      const want = expected(who);
      expect(status, `${name} as ${who}: ${shown}`).toBe(want.status);
      if (want.reason) expect((body as { reason?: string }).reason).toBe(want.reason);
      if (status === 303 && name !== 'POST /logout (web)') expect(location, shown).not.toMatch(/^\/login/);
      checked.allowed++;
    } else if (who === 'anonymous') {
      if (req.api) expect(status).toBe(401);
      else {
        expect(status).toBe(303);
        expect(location).toMatch(/^\/login\?next=/);
      }
      checked.forbidden++;
    } else {
      expect(status, `${name} as ${who}: ${shown}`).toBe(403);
      if (typeof body !== 'string') expect(body.message).toEqual(expect.any(String));
      expect(shown).not.toMatch(/\bat .+\.ts:\d+/); // never a stack trace
      checked.forbidden++;
    }
  });
});
