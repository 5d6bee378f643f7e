import { inject } from 'vitest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../apps/api/src/app';
import { apiEnvSchema } from '../../apps/api/src/config/api.config';
import { AuthService } from '../../apps/api/src/auth/auth.service';
import type { Role } from '@dieu-hanh/persistence';
import { ResponseContract } from './contract';

export interface ApiHarness {
  app: NestExpressApplication;
  baseUrl: string;
  createUser(input: { username: string; displayName: string; unitCode: string; roles: Role[]; email?: string }): Promise<{ id: string }>;
  login(username: string): Promise<string>;
  // Response bodies are whatever JSON the endpoint sends; tests read them field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(method: string, path: string, token?: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** Checks every answer `call` receives against the live OpenAPI document (see contract.ts). */
  contract(): Promise<ResponseContract>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'test-password-123';

/** The real API app (NestJS, HTTP on a free port) against the run's Temporal and database. */
export async function startApi(taskQueue: string, env: Record<string, string> = {}): Promise<ApiHarness> {
  const config = apiEnvSchema.parse({
    NODE_ENV: 'test',
    DATABASE_URL: inject('databaseUrl'),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: inject('temporalNamespace'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'error',
    PORT: '0',
    ...env,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const auth = app.get(AuthService);
  let contract: Promise<ResponseContract> | undefined;
  const loadContract = () => (contract ??= ResponseContract.load(baseUrl));

  const call: ApiHarness['call'] = async (method, path, token, body, headers = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    // The document cannot drift from the server: each answer must be one it declares.
    (await loadContract()).check(method, path, res.status, res.headers.get('content-type'), parsed);
    return { status: res.status, body: parsed };
  };

  return {
    app,
    baseUrl,
    createUser: (input) => auth.createUser({ ...input, password: TEST_PASSWORD }),
    async login(username) {
      const res = await call('POST', '/api/auth/login', undefined, { username, password: TEST_PASSWORD });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
    call,
    contract: loadContract,
    close: () => app.close(),
  };
}
