import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../support/api-harness';
import { launchChromium } from '../support/browser';
import SwaggerParser from '@apidevtools/swagger-parser';

/** The endpoints issue #5 names, and the document generated from the controllers. */
const REQUIRED: [string, string][] = [
  ['post', '/api/plans'],
  ['post', '/api/plans/{id}/launch'],
  ['get', '/api/plans/{id}/matrix'],
  ['get', '/api/assignments'],
  ['get', '/api/assignments/{id}'],
  ['post', '/api/assignments/{id}/drafts'],
  ['post', '/api/assignments/{id}/reports'],
  ['post', '/api/assignments/{id}/files'],
  ['get', '/api/assignments/{id}/files'],
  ['get', '/api/files/{fileId}'],
  ['post', '/api/approvals/{id}/decision'],
  ['post', '/api/assignments/{id}/extension-requests'],
  ['post', '/api/extension-requests/{id}/decision'],
  ['get', '/api/notifications'],
  ['post', '/api/auth/login'],
  ['get', '/health'],
  ['get', '/api/plans/{id}/available-obligations'],
  ['post', '/api/plans/{id}/available-obligations/{obligationId}/assignments'],
];

describe('OpenAPI document', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi('openapi-test');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is served at /api/docs-json and /api/docs, and lists every endpoint with its request schema', async () => {
    const doc = await api.call('GET', '/api/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    for (const [method, path] of REQUIRED) {
      expect(doc.body.paths[path]?.[method], `${method.toUpperCase()} ${path}`).toBeDefined();
    }
    const draft = doc.body.components.schemas.SubmitDraftDto;
    expect(draft.required).toEqual(expect.arrayContaining(['version', 'text', 'attachments']));
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const ui = await fetch(`${api.baseUrl}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('passes a standard OpenAPI validator and declares, for every operation, its answers, the one error schema and its security', async () => {
    const doc = (await api.call('GET', '/api/docs-json')).body;
    // swagger-parser dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
    const errorRef = '#/components/schemas/ErrorBodyDto';
    expect(doc.components.schemas.ErrorBodyDto.required).toEqual(['statusCode', 'code', 'message']);
    let operations = 0;
    for (const [path, item] of Object.entries<Record<string, { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>; security?: unknown[] }>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        operations++;
        const name = `${method.toUpperCase()} ${path}`;
        const statuses = Object.keys(op.responses);
        const ok = statuses.filter((s) => s.startsWith('2'));
        expect(ok.length, `${name} declares a 2xx`).toBeGreaterThan(0);
        for (const s of ok) {
          if (s === '204') continue;
          const content = op.responses[s].content ?? {};
          expect(Object.values(content).some((m) => m.schema), `${name} ${s} has a body schema`).toBe(true);
        }
        for (const s of statuses.filter((x) => /^[45]/.test(x))) {
          if (path === '/health' && s === '503') continue; // /health answers its own status body when down
          expect(op.responses[s].content?.['application/json']?.schema?.$ref, `${name} ${s} answers the error schema`).toBe(errorRef);
        }
        expect(statuses, `${name}: every operation can refuse bad input and fail`).toEqual(expect.arrayContaining(['400', '429', '500']));
        expect(op.security, `${name} states its security`).toBeDefined();
        if (op.security!.length > 0) expect(statuses, `${name} needs a token`).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
    expect(operations).toBeGreaterThanOrEqual(30);
    // The list of assignments documents its paging fields.
    const page = doc.components.schemas.AssignmentPage;
    expect(page.required).toEqual(expect.arrayContaining(['page', 'pageSize', 'total', 'items']));
    expect(doc.paths['/api/assignments'].get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/AssignmentPage');
  });

  it('agrees with the server on what needs a token: /api/plans/schema, login and /health are public, the rest answer 401 without one', async () => {
    const doc = (await api.call('GET', '/api/docs-json')).body;
    const open = Object.entries<Record<string, { security: unknown[] }>>(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).filter(([, op]) => op.security.length === 0).map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(open.sort()).toEqual(['GET /api/plans/schema', 'GET /health', 'POST /api/auth/login']);
    expect((await api.call('GET', '/api/plans/schema')).status).toBe(200);
    const refused = await api.call('GET', '/api/plans');
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('UNAUTHENTICATED');
  });

  it('is versioned: /api/v1 is the same API, every answer says Api-Version: 1, an unknown version is refused', async () => {
    const v1 = await fetch(`${api.baseUrl}/api/v1/plans/schema`);
    expect(v1.status).toBe(200);
    expect(v1.headers.get('api-version')).toBe('1');
    expect(await v1.json()).toEqual((await api.call('GET', '/api/plans/schema')).body);
    const refused = await api.call('GET', '/api/plans/schema', undefined, undefined, { 'Api-Version': '2' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'VALIDATION', reason: 'UNSUPPORTED_VERSION' });
    const unknown = await api.call('GET', '/api/v2/plans/schema');
    expect(unknown.status).toBe(404);
  });

  it('checks every answer against the document: a body that breaks its schema is caught', async () => {
    const contract = await api.contract();
    expect(() => contract.check('GET', '/api/plans/schema', 200, 'application/json', {})).not.toThrow();
    expect(() => contract.check('GET', '/api/auth/me', 200, 'application/json', { username: 'x' })).toThrow(/breaks its schema.*userId/);
    expect(() => contract.check('GET', '/api/auth/me', 418, 'application/json', {})).toThrow(/does not declare/);
    expect(() => contract.check('GET', '/api/auth/me', 401, 'application/json', { statusCode: 401, code: 'NOPE', message: 'x' })).toThrow(/code/);
    expect(contract.checked).toBeGreaterThan(0);
  });

  it('lists follow one convention: documented paging and sort, filters as parameters, anything else a 400 naming it', async () => {
    await api.createUser({ username: 'openapi-admin', displayName: 'Quản trị', unitCode: 'VP-TU', roles: ['administrator', 'standing-office'] });
    const token = await api.login('openapi-admin');
    const doc = (await api.call('GET', '/api/docs-json')).body;
    for (const path of ['/api/assignments', '/api/notifications']) {
      const params = (doc.paths[path].get.parameters as { name: string }[]).map((p) => p.name);
      expect(params, path).toEqual(expect.arrayContaining(['page', 'pageSize', 'sort']));
      const page = await api.call('GET', `${path}?page=1&pageSize=2&sort=-${path.endsWith('assignments') ? 'dueAt' : 'createdAt'}`, token);
      expect(page.status, path).toBe(200);
      expect(page.body).toMatchObject({ page: 1, pageSize: 2, total: expect.any(Number), items: expect.any(Array) });
      const tooBig = await api.call('GET', `${path}?pageSize=501`, token);
      expect(tooBig.status).toBe(400);
      expect(tooBig.body.fields).toEqual([expect.objectContaining({ field: 'pageSize' })]);
    }
    for (const path of ['/api/assignments', '/api/notifications', '/api/extension-requests', '/api/audit/archive', '/api/audit/access-log']) {
      const unknown = await api.call('GET', `${path}?limt=5`, token);
      expect(unknown.status, path).toBe(400);
      expect(unknown.body.fields, path).toEqual([expect.objectContaining({ field: 'limt' })]);
    }
    expect((await api.call('GET', '/api/extension-requests?plan=KH-TW-2020-v1', token)).status).toBe(200);
  });

  it('renders in a real browser under the API\'s Content-Security-Policy', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const blocked: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
      });
      await page.goto(`${api.baseUrl}/api/docs`);
      await page.locator('.opblock-summary-path', { hasText: '/api/plans/{id}/launch' }).first().waitFor({ timeout: 15_000 });
      expect(blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
