import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dieu-hanh/persistence';
import { cookieSecure, loadApiConfig } from './api.config';

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

  it('keeps uploaded files in PostgreSQL unless told otherwise, and names what a folder or S3 store lacks', () => {
    const base = { NODE_ENV: 'test', DATABASE_URL: 'postgres://db/x' };
    expect(loadApiConfig(base).FILE_STORE).toBe('postgres');
    expect(problemsOf(() => loadApiConfig({ ...base, FILE_STORE: 'fs' }))).toEqual(['FILE_STORE_DIR: is required when FILE_STORE=fs']);
    expect(problemsOf(() => loadApiConfig({ ...base, FILE_STORE: 's3' }))).toEqual(['S3_BUCKET: is required when FILE_STORE=s3']);
    expect(problemsOf(() => loadApiConfig({ ...base, FILE_STORE: 's3', S3_BUCKET: 'Bad_Bucket' }))).toEqual([expect.stringMatching(/^S3_BUCKET: must be a bucket name/)]);
    expect(problemsOf(() => loadApiConfig({ ...base, FILE_STORE: 'ftp' }))).toEqual([expect.stringMatching(/^FILE_STORE: /)]);
    const s3 = loadApiConfig({ ...base, FILE_STORE: 's3', S3_BUCKET: 'dieu-hanh-files', S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: 'false' });
    expect(s3).toMatchObject({ S3_BUCKET: 'dieu-hanh-files', S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: false });
  });

  it('requires DATABASE_URL and a real session secret in production', () => {
    expect(problemsOf(() => loadApiConfig({}))).toEqual([expect.stringMatching(/^DATABASE_URL: is required/)]);
    expect(problemsOf(() => loadApiConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' }))).toEqual([
      'SESSION_SECRET: must be set to a real secret in production',
    ]);
  });

  it('refuses the built-in dev secret unless NODE_ENV is development or test explicitly', () => {
    expect(problemsOf(() => loadApiConfig({ DATABASE_URL: 'postgres://db/x' }))).toEqual([
      'SESSION_SECRET: is required unless NODE_ENV=development or NODE_ENV=test is set explicitly',
    ]);
    expect(problemsOf(() => loadApiConfig({ NODE_ENV: 'development', DATABASE_URL: 'postgres://db/x' }))).toEqual([]);
    expect(problemsOf(() => loadApiConfig({ DATABASE_URL: 'postgres://db/x', SESSION_SECRET: 'x'.repeat(40) }))).toEqual([]);
  });

  it('fills the embedded defaults: loopback only, no proxy trusted', () => {
    const config = loadApiConfig({ NODE_ENV: 'development', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/dieu_hanh' });
    expect(config).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', TRUST_PROXY: false, COOKIE_SECURE: 'auto', TEMPORAL_ADDRESS: '127.0.0.1:7233', TEMPORAL_NAMESPACE: 'dieu-hanh', TEMPORAL_TASK_QUEUE: 'dieu-hanh' });
    expect(loadApiConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://db/x', TRUST_PROXY: 'loopback' }).TRUST_PROXY).toBe('loopback');
    expect(loadApiConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://db/x', TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
  });

  it('sets Secure on cookies over https, always in production, and as forced', () => {
    expect(cookieSecure({ COOKIE_SECURE: 'auto', NODE_ENV: 'development' }, false)).toBe(false);
    expect(cookieSecure({ COOKIE_SECURE: 'auto', NODE_ENV: 'development' }, true)).toBe(true);
    expect(cookieSecure({ COOKIE_SECURE: 'auto', NODE_ENV: 'production' }, false)).toBe(true);
    expect(cookieSecure({ COOKIE_SECURE: 'true', NODE_ENV: 'test' }, false)).toBe(true);
    expect(cookieSecure({ COOKIE_SECURE: 'false', NODE_ENV: 'production' }, true)).toBe(false);
  });
});
