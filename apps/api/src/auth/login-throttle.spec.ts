import { describe, expect, it } from 'vitest';
import { ACCOUNT_FREE_FAILURES, accountLockSeconds } from './login-throttle';

describe('per-account login back-off', () => {
  it('is free for the first failures, then doubles from one minute up to fifteen', () => {
    expect([1, 2, 3, 4].map(accountLockSeconds)).toEqual([0, 0, 0, 0]);
    expect(ACCOUNT_FREE_FAILURES).toBe(5);
    expect([5, 6, 7, 8, 9, 10, 50].map(accountLockSeconds)).toEqual([60, 120, 240, 480, 900, 900, 900]);
  });
});
