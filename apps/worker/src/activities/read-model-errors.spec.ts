import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { SIDE_EFFECT_ERRORS } from '@dieu-hanh/workflows';
import { classifyReadModelError, sqlStateOf, storable, storableJson } from './read-model-errors';

describe('read-model error classification', () => {
  const pgError = (code: string) => Object.assign(new Error('pg says no'), { code });

  it('makes data errors non-retryable with a code', () => {
    for (const code of ['22021', '22P05', '22001', '22008', '23505']) {
      const failure = classifyReadModelError(pgError(code), 'projecting x');
      expect(failure, code).toMatchObject({ type: SIDE_EFFECT_ERRORS.BAD_DATA, nonRetryable: true });
    }
  });

  it('keeps outages retryable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(classifyReadModelError(refused, 'x')).toMatchObject({ type: SIDE_EFFECT_ERRORS.UNAVAILABLE, nonRetryable: false });
    expect(classifyReadModelError(pgError('57P01'), 'x')).toMatchObject({ type: SIDE_EFFECT_ERRORS.UNAVAILABLE, nonRetryable: false });
    expect(classifyReadModelError(new Error('Connection terminated unexpectedly'), 'x').nonRetryable).toBe(false);
  });

  it('reads the SQLSTATE through a TypeORM QueryFailedError', () => {
    expect(sqlStateOf({ driverError: { code: '22021' } })).toBe('22021');
    expect(sqlStateOf({ code: 'ECONNREFUSED' })).toBeUndefined();
  });

  it('passes an ApplicationFailure through unchanged', () => {
    const failure = ApplicationFailure.create({ type: 'X', nonRetryable: true });
    expect(classifyReadModelError(failure, 'x')).toBe(failure);
  });
});

describe('storable text', () => {
  it('replaces NUL and lone surrogates, keeps everything else', () => {
    expect(storable('abc\u0000def')).toBe('abc\uFFFDdef');
    expect(storable('a\uD800b')).toBe('a\uFFFDb');
    expect(storable('a\uDC00b')).toBe('a\uFFFDb');
    expect(storable('Trà Vinh 😀')).toBe('Trà Vinh 😀');
  });

  it('makes JSON that jsonb accepts (no \\u0000 escape)', () => {
    const json = storableJson({ text: 'x\u0000y', nested: [{ t: '\u0000' }] });
    expect(json).not.toContain('\\u0000');
    expect(JSON.parse(json)).toEqual({ text: 'x\uFFFDy', nested: [{ t: '\uFFFD' }] });
  });
});
