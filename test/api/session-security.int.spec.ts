import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';
import { webSession } from '../support/web-session';

/** The JWT inside the signed `dh_session` cookie value (`s:<jwt>.<signature>`, URL-encoded). */
const jwtOfCookie = (value: string) => decodeURIComponent(value).slice(2).replace(/\.[^.]+$/, '');

/**
 * Issue 11, holes 4 and 5: login throttling that X-Forwarded-For cannot reset, a per-account
 * back-off, logout that ends the session on the server, Secure cookies and no-store answers.
 * The address test runs last: it leaves 127.0.0.1 blocked in this file's API.
 */
describe('sessions and login throttling', () => {
  let api: ApiHarness;
  const suffix = Date.now().toString(36);
  const name = (who: string) => `sec-${who}-${suffix}`;

  beforeAll(async () => {
    api = await startApi(`sec-${suffix}`);
    for (const who of ['web', 'bearer', 'victim', 'bystander', 'late', 'reader']) {
      await api.createUser({ username: name(who), displayName: who, unitCode: 'VP-TU', roles: ['approver'] });
    }
  });

  afterAll(async () => {
    await api?.close();
  });

  it('logging out of the web UI ends the session: the old cookie, and the token inside it, are refused', async () => {
    const web = webSession(api.baseUrl);
    const login = await web.post('/login', { username: name('web'), password: TEST_PASSWORD, next: '/' });
    expect(login.status).toBe(303);
    const setCookie = web.lastSetCookies.find((c) => c.startsWith('dh_session='))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).not.toMatch(/;\s*Secure/i); // plain http in test, COOKIE_SECURE=auto
    const cookie = web.cookies.get('dh_session')!;

    const inbox = await web.get('/');
    expect(inbox.status).toBe(200);
    expect(inbox.headers.get('cache-control')).toBe('no-store');
    // A web session's token is not an API bearer token.
    expect((await api.call('GET', '/api/auth/me', jwtOfCookie(cookie))).status).toBe(401);

    expect((await web.post('/logout', {}, '/')).status).toBe(303);
    expect(web.cookies.has('dh_session')).toBe(false);
    // Someone who kept the cookie: refused, sent to the login form.
    web.cookies.set('dh_session', cookie);
    const after = await web.get('/');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/login/);
  });

  it('logging out of the API ends the bearer token; answers are never cached', async () => {
    const token = await api.login(name('bearer'));
    const me = await fetch(`${api.baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect((await api.call('POST', '/api/auth/logout', token)).status).toBe(204);
    expect((await api.call('GET', '/api/auth/me', token)).status).toBe(401);
    expect((await api.call('GET', '/api/plans', token)).status).toBe(401);
    // A second login is a new session; the first stays ended.
    const again = await api.login(name('bearer'));
    expect((await api.call('GET', '/api/auth/me', again)).status).toBe(200);
    expect((await api.call('GET', '/api/auth/me', token)).status).toBe(401);
  });

  it('marks the session cookie Secure when a trusted proxy says the request came over https', async () => {
    const proxied = await startApi(`sec-proxy-${suffix}`, { TRUST_PROXY: 'loopback' });
    try {
      const web = webSession(proxied.baseUrl);
      await web.post('/login', { username: name('web'), password: TEST_PASSWORD, next: '/' }, '/login', { 'x-forwarded-proto': 'https' });
      expect(web.lastSetCookies.find((c) => c.startsWith('dh_session='))).toMatch(/;\s*Secure/i);
    } finally {
      await proxied.close();
    }
  });

  it('a new browser starts in the language the person last chose; a choice made on the login page wins', async () => {
    const db = api.app.get(DataSource);
    await db.query(`UPDATE users SET language = 'en' WHERE username = $1`, [name('reader')]);

    const fresh = webSession(api.baseUrl);
    expect((await fresh.post('/login', { username: name('reader'), password: TEST_PASSWORD, next: '/' })).status).toBe(303);
    expect(fresh.cookies.get('dh_lang')).toBe('en');
    const inbox = await fresh.get('/');
    expect(inbox.status).toBe(200);
    expect(inbox.text).toContain('<html lang="en">');

    // Tiếng Việt picked on the login page: the page stays Vietnamese and the choice is stored.
    const chosen = webSession(api.baseUrl);
    expect((await chosen.get('/login?lang=vi')).status).toBe(200);
    expect((await chosen.post('/login', { username: name('reader'), password: TEST_PASSWORD, next: '/' })).status).toBe(303);
    expect(chosen.cookies.get('dh_lang')).toBe('vi');
    expect((await chosen.get('/')).text).toContain('<html lang="vi">');
    const [{ language }] = (await db.query(`SELECT language FROM users WHERE username = $1`, [name('reader')])) as { language: string }[];
    expect(language).toBe('vi');
  });

  it('locks an account after 5 failures however X-Forwarded-For rotates; the right password is refused while locked', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await api.call('POST', '/api/auth/login', undefined, { username: name('victim'), password: `guess-${i}` }, { 'x-forwarded-for': `203.0.113.${i + 1}` });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual(Array(45).fill(429));

    const res = await fetch(`${api.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.77' },
      body: JSON.stringify({ username: name('victim'), password: TEST_PASSWORD }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as { reason: string }).reason).toBe('ACCOUNT_LOCKED');
    // The web form says the same, in words.
    const web = await webSession(api.baseUrl).post('/login', { username: name('victim'), password: TEST_PASSWORD, next: '/' });
    expect(web.status).toBe(429);
    expect(web.text).toMatch(/thử lại sau \d+ phút/);
    // The lock is this account's: others log in from the same address.
    expect((await api.call('POST', '/api/auth/login', undefined, { username: name('bystander'), password: TEST_PASSWORD })).status).toBe(200);
  });

  it('cuts off password spraying from one address after 20 failures, whatever X-Forwarded-For says', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await api.call('POST', '/api/auth/login', undefined, { username: `${name('spray')}-${i}`, password: 'Password1' }, { 'x-forwarded-for': `192.0.2.${i + 1}` });
      statuses.push(res.status);
    }
    const first = statuses.indexOf(429);
    // 5 failures of the previous test and 15 here make 20.
    expect(first).toBe(15);
    expect(statuses.slice(first)).toEqual(Array(40 - first).fill(429));
    const late = await api.call('POST', '/api/auth/login', undefined, { username: name('late'), password: TEST_PASSWORD }, { 'x-forwarded-for': '198.51.100.200' });
    expect(late.status).toBe(429);
    expect(late.body.reason).toBe('ADDRESS_THROTTLED');
  });
});
