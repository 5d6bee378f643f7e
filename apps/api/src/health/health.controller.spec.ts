import { describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../infra/infra.module';
import { RefusalLog } from '../audit/refusal-log';
import { HealthController } from './health.controller';

/** Fakes only: what /health says when its checks fail is a pure mapping. */
describe('GET /health', () => {
  it('says which part is down in status words, never the raw error text', async () => {
    const secret = 'password authentication failed for user "dieu_hanh" at 10.0.0.5:5432';
    const db = { query: () => Promise.reject(new Error(secret)) } as unknown as DataSource;
    const temporal = {
      connection: { withDeadline: () => Promise.reject(new Error(`14 UNAVAILABLE: connect ECONNREFUSED 10.0.0.6:7233 ${secret}`)), workflowService: {} },
    } as unknown as Client;
    const controller = new HealthController(db, temporal, new AppConfig({ TEMPORAL_NAMESPACE: 'dieu-hanh' } as never), new RefusalLog(db));
    let status = 0;
    let body: unknown;
    const res = { status: (s: number) => ((status = s), res), json: (b: unknown) => ((body = b), res) } as unknown as Response;
    await controller.health(res);
    expect(status).toBe(503);
    expect(body).toEqual({ status: 'down', api: { status: 'up' }, database: { status: 'down' }, temporal: { status: 'down' }, notices: { status: 'down' }, refusals: { status: 'up' } });
    expect(JSON.stringify(body)).not.toMatch(/password|ECONNREFUSED|10\.0\.0/);
  });
});
