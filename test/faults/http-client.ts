import http from 'node:http';

export interface HttpResult {
  /** 0 when there was no answer (refused, reset, timed out). */
  status: number;
  // Bodies are whatever the endpoint sends; callers read them field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
  headers: http.IncomingHttpHeaders;
  ms: number;
  error?: 'refused' | 'reset' | 'timeout' | string;
}

export interface HttpRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** A string or bytes go out as they are; anything else as JSON. */
  body?: unknown;
  token?: string;
  /** Source address on loopback (127.x.y.z), so each simulated person has an address of their own. */
  localAddress?: string;
  timeoutMs?: number;
}

/**
 * One HTTP request with node:http (not fetch), so the suite controls the source address, raw
 * bytes and a hard timeout, and can tell "no answer" from an answer.
 */
export function request(baseUrl: string, req: HttpRequest): Promise<HttpResult> {
  const url = new URL(req.path, baseUrl);
  const started = performance.now();
  let payload: Buffer | undefined;
  const headers: Record<string, string> = { ...(req.token ? { authorization: `Bearer ${req.token}` } : {}) };
  if (req.body !== undefined) {
    if (typeof req.body === 'string' || Buffer.isBuffer(req.body)) payload = Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
    else {
      payload = Buffer.from(JSON.stringify(req.body), 'utf8');
      headers['content-type'] = 'application/json';
    }
  }
  Object.assign(headers, req.headers ?? {});
  if (payload && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['content-length'] = String(payload.length);
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Omit<HttpResult, 'ms'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...r, ms: performance.now() - started });
    };
    const r = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: req.method, headers, localAddress: req.localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', () => done({ status: 0, body: undefined, text: '', headers: {}, error: 'reset' }));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          done({ status: res.statusCode ?? 0, body, text, headers: res.headers });
        });
      },
    );
    r.setTimeout(req.timeoutMs ?? 30_000, () => {
      done({ status: 0, body: undefined, text: '', headers: {}, error: 'timeout' });
      r.destroy();
    });
    r.on('error', (err: NodeJS.ErrnoException) =>
      done({ status: 0, body: undefined, text: '', headers: {}, error: err.code === 'ECONNREFUSED' ? 'refused' : err.code === 'ECONNRESET' ? 'reset' : (err.code ?? err.message) }),
    );
    if (payload) r.write(payload);
    r.end();
  });
}

/** 127.0.<n / 250>.<n % 250 + 2>: a distinct loopback source address per simulated person. */
export function loopbackAddress(n: number): string {
  return `127.0.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
}
