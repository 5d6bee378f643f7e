/**
 * A browser without a browser: a cookie jar and the CSRF token of the last page, for
 * posting the web UI's forms with fetch (login, decisions, extension forms, logout).
 */
export interface WebSession {
  cookies: Map<string, string>;
  /** The raw Set-Cookie headers of the last answer. */
  lastSetCookies: string[];
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; text: string; headers: Headers }>;
  /** Loads `formPage` for a CSRF token, then posts `fields` (urlencoded) to `path`. */
  post(path: string, fields: Record<string, string | string[]>, formPage?: string, headers?: Record<string, string>): Promise<{ status: number; text: string; headers: Headers }>;
  cookieHeader(): string;
}

export function webSession(baseUrl: string): WebSession {
  const cookies = new Map<string, string>();
  const session: WebSession = {
    cookies,
    lastSetCookies: [],
    cookieHeader: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    async get(path, headers = {}) {
      const res = await fetch(`${baseUrl}${path}`, { redirect: 'manual', headers: { cookie: session.cookieHeader(), accept: 'text/html', ...headers } });
      remember(res);
      return { status: res.status, text: await res.text(), headers: res.headers };
    },
    async post(path, fields, formPage = '/login', headers = {}) {
      const page = await session.get(formPage);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      const body = new URLSearchParams();
      body.append('_csrf', token);
      for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      const res = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: session.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers },
        body,
      });
      remember(res);
      return { status: res.status, text: await res.text(), headers: res.headers };
    },
  };
  function remember(res: Response) {
    session.lastSetCookies = res.headers.getSetCookie();
    for (const line of session.lastSetCookies) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
  }
  return session;
}
