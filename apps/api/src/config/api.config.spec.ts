import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dieu-hanh/persistence';
import { loadApiConfig } from './api.config';

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('config validated at boot', () => {
  it('names every bad variable and why', () => {
    const problems = problemsOf(() => loadApiConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', TEMPORAL_ADDRESS: 'nohost' }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DATABASE_URL: must be a postgres:\/\/ URL/),
        expect.stringMatching(/^PORT: /),
        expect.stringMatching(/^TEMPORAL_ADDRESS: must be host:port/),
      ]),
    );
  });

  it('requires DATABASE_URL and a real session secret in production', () => {
    expect(problemsOf(() => loadApiConfig({}))).toEqual([expect.stringMatching(/^DATABASE_URL: is required/)]);
    expect(problemsOf(() => loadApiConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' }))).toEqual([
      'SESSION_SECRET: must be set to a real secret in production',
    ]);
  });

  it('fills the embedded defaults', () => {
    const config = loadApiConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/dieu_hanh' });
    expect(config).toMatchObject({ PORT: 3000, TEMPORAL_ADDRESS: '127.0.0.1:7233', TEMPORAL_NAMESPACE: 'dieu-hanh', TEMPORAL_TASK_QUEUE: 'dieu-hanh' });
  });
});
