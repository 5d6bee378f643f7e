import { describe, expect, it } from 'vitest';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { RefusalLog } from './refusal-log';

/** Fakes only: a database that refuses some writes, to see what the log does about it. */
describe('RefusalLog when the database refuses the write', () => {
  const user = { userId: 'u1', name: 'Nguyễn Văn A', unit: 'BTC-TU', roles: ['drafter'] };
  const request = { method: 'POST', originalUrl: '/api/assignments/drafting:K:FT1:BTC-TU/drafts', path: '/api/assignments/drafting:K:FT1:BTC-TU/drafts', params: { id: 'drafting:K:FT1:BTC-TU' }, user } as unknown as Request;
  const refusal = { statusCode: 409, code: 'CONFLICT', reason: 'STALE_VERSION', message: 'Phiên bản đã cũ' };

  function logWith(failures: number) {
    const inserts: unknown[][] = [];
    let calls = 0;
    const db = {
      query: async (_sql: string, params: unknown[]) => {
        calls += 1;
        if (calls <= failures) throw new Error('connection terminated');
        inserts.push(params);
      },
    } as unknown as DataSource;
    const log = new RefusalLog(db);
    log.retryDelaysMs = [1, 1, 1];
    return { log, inserts, calls: () => calls };
  }

  const settle = () => new Promise((r) => setTimeout(r, 50));

  it('tries again and records the refusal once the database answers', async () => {
    const { log, inserts, calls } = logWith(2);
    log.note(request, refusal);
    await settle();
    expect(calls()).toBe(3);
    expect(inserts).toHaveLength(1);
    expect(inserts[0]).toContain('STALE_VERSION');
    expect(log.unrecorded().count).toBe(0);
  });

  it('counts a refusal it could not write after every attempt, for /health', async () => {
    const { log, inserts, calls } = logWith(Number.MAX_SAFE_INTEGER);
    log.note(request, refusal);
    log.note(request, refusal);
    await settle();
    expect(calls()).toBe(8);
    expect(inserts).toHaveLength(0);
    expect(log.unrecorded().count).toBe(2);
    expect(log.unrecorded().lastAt).toBeInstanceOf(Date);
  });
});
