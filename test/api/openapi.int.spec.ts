import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../support/api-harness';
import { launchChromium } from '../support/browser';

/** The endpoints issue #5 names, and the document generated from the controllers. */
const REQUIRED: [string, string][] = [
  ['post', '/api/plans'],
  ['post', '/api/plans/{id}/launch'],
  ['get', '/api/plans/{id}/matrix'],
  ['get', '/api/assignments'],
  ['get', '/api/assignments/{id}'],
  ['post', '/api/assignments/{id}/drafts'],
  ['post', '/api/assignments/{id}/reports'],
  ['post', '/api/approvals/{id}/decision'],
  ['post', '/api/assignments/{id}/extension-requests'],
  ['post', '/api/extension-requests/{id}/decision'],
  ['get', '/api/notifications'],
  ['post', '/api/auth/login'],
  ['get', '/health'],
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
