import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dieu-hanh/persistence';
import { loadWorkerConfig } from './worker.config';

describe('worker config', () => {
  it('names a bad SMTP_URL and keeps e-mail off when it is absent', () => {
    expect(() => loadWorkerConfig({ DATABASE_URL: 'postgres://db/x', SMTP_URL: 'http://mail' })).toThrow(ConfigError);
    expect(() => loadWorkerConfig({ DATABASE_URL: 'postgres://db/x', SMTP_URL: 'http://mail' })).toThrow(/SMTP_URL: must be an smtp:\/\//);
    expect(loadWorkerConfig({ DATABASE_URL: 'postgres://db/x' }).SMTP_URL).toBeUndefined();
  });
});
