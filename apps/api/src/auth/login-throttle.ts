import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, AppErrorCode } from '../common/app-error';

/**
 * Two limits on password guessing, both counting failures only (a correct login costs nothing):
 *
 * - Per account (in PostgreSQL, shared by every API process): the first
 *   ACCOUNT_FREE_FAILURES consecutive failures are free; then the account name is locked for
 *   1 minute, doubling with each further failure up to 15 minutes. While locked, every login
 *   to it is refused with 429 without looking at the password — also a correct one, or the lock
 *   would be an oracle. A success resets the count; an hour without failures forgets it.
 *   Unknown names are counted the same way, so the answer does not reveal which names exist.
 *   The price: someone who knows a name can keep that person out for up to 15 minutes at a
 *   time; they cannot keep anyone else out, and cannot guess faster than the back-off allows.
 *
 * - Per client address (in memory, per API process): IP_MAX_FAILURES failures within
 *   IP_WINDOW_MS from one address, over any accounts (password spraying), blocks that address
 *   until the window has passed. The address is req.ip, which believes X-Forwarded-For only
 *   from the proxies in TRUST_PROXY (default none), so a header cannot buy a fresh allowance.
 *   The limit is loose on purpose: a whole office may sit behind one NAT address, and only
 *   its failures count.
 *
 * The login routes also keep a plain request-rate ceiling (@Throttle, 300 a minute per
 * address) against floods; it counts successes too, so it is set well above any office's
 * morning logins.
 */
export const ACCOUNT_FREE_FAILURES = 5;
export const ACCOUNT_BASE_LOCK_SECONDS = 60;
export const ACCOUNT_MAX_LOCK_SECONDS = 900;
export const ACCOUNT_FORGET_SECONDS = 3600;
export const IP_MAX_FAILURES = 20;
export const IP_WINDOW_MS = 10 * 60_000;

/** Seconds an account stays locked after its n-th consecutive failure (0: not locked). */
export function accountLockSeconds(failures: number): number {
  if (failures < ACCOUNT_FREE_FAILURES) return 0;
  return Math.min(ACCOUNT_BASE_LOCK_SECONDS * 2 ** (failures - ACCOUNT_FREE_FAILURES), ACCOUNT_MAX_LOCK_SECONDS);
}

/** A 429 that says when to try again (controllers copy it into Retry-After). */
export class LoginThrottledError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    scope: 'account' | 'address',
  ) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(
      AppErrorCode.RATE_LIMITED,
      scope === 'account'
        ? `Tài khoản tạm khóa do đăng nhập sai nhiều lần; thử lại sau ${minutes} phút / too many failed logins for this account; try again in ${minutes} min`
        : `Quá nhiều lần đăng nhập sai từ địa chỉ này; thử lại sau ${minutes} phút / too many failed logins from this address; try again in ${minutes} min`,
      scope === 'account' ? 'ACCOUNT_LOCKED' : 'ADDRESS_THROTTLED',
    );
  }
}

@Injectable()
export class LoginThrottle {
  /** Failure times per client address, newest last. */
  private readonly byAddress = new Map<string, number[]>();

  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Throws LoginThrottledError when this address or this account may not try now. */
  async assertMayTry(account: string, address: string, now = Date.now()): Promise<void> {
    const recent = this.recentFailures(address, now);
    if (recent.length >= IP_MAX_FAILURES) throw new LoginThrottledError(Math.ceil((recent[0] + IP_WINDOW_MS - now) / 1000), 'address');
    const [row] = await this.db.query<{ wait: number }[]>(
      `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS wait FROM login_failures WHERE account = $1 AND locked_until > now()`,
      [key(account)],
    );
    if (row) throw new LoginThrottledError(row.wait, 'account');
  }

  async recordFailure(account: string, address: string, now = Date.now()): Promise<void> {
    const recent = this.recentFailures(address, now);
    recent.push(now);
    this.byAddress.set(address, recent);
    if (this.byAddress.size > 10_000) this.sweep(now);
    // The count in one statement, so concurrent failures each count; the lock from accountLockSeconds.
    const [row] = await this.db.query<{ failures: number }[]>(
      `INSERT INTO login_failures AS f (account, failures, last_failed_at) VALUES ($1, 1, now())
       ON CONFLICT (account) DO UPDATE SET
         failures = CASE WHEN f.last_failed_at < now() - make_interval(secs => $2::int) THEN 1 ELSE f.failures + 1 END,
         last_failed_at = now()
       RETURNING failures`,
      [key(account), ACCOUNT_FORGET_SECONDS],
    );
    // Names sprayed by a guesser leave rows behind; now and then drop those long forgotten.
    if (Math.random() < 0.01) {
      await this.db.query(`DELETE FROM login_failures WHERE last_failed_at < now() - make_interval(secs => $1::int) AND (locked_until IS NULL OR locked_until < now())`, [ACCOUNT_FORGET_SECONDS]);
    }
    const lock = accountLockSeconds(row.failures);
    if (lock > 0) await this.db.query(`UPDATE login_failures SET locked_until = now() + make_interval(secs => $2::int) WHERE account = $1`, [key(account), lock]);
  }

  async recordSuccess(account: string): Promise<void> {
    await this.db.query(`DELETE FROM login_failures WHERE account = $1`, [key(account)]);
  }

  private recentFailures(address: string, now: number): number[] {
    const kept = (this.byAddress.get(address) ?? []).filter((t) => t > now - IP_WINDOW_MS);
    if (kept.length) this.byAddress.set(address, kept);
    else this.byAddress.delete(address);
    return kept;
  }

  private sweep(now: number) {
    for (const address of [...this.byAddress.keys()]) this.recentFailures(address, now);
  }
}

/** Case variants of a name share one counter. */
const key = (account: string) => account.trim().toLowerCase();
