import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { hash, verify } from '@node-rs/argon2';
import { DataSource } from 'typeorm';
import { SessionEntity, UserEntity, type Role } from '@dieu-hanh/persistence';
import { AppError, AppErrorCode } from '../common/app-error';
import type { CurrentUser } from './current-user';
import { LoginThrottle } from './login-throttle';

/** How long a login lasts, for the web cookie and the API bearer token alike. */
export const SESSION_HOURS = 12;

/**
 * Passwords hashed with Argon2id (@node-rs/argon2: prebuilt binaries, no install script).
 * Every login is a row in `sessions`; its id is the token's `jti`, checked on every request,
 * so logging out (revoking the row) ends the session for the cookie and the bearer token.
 */
@Injectable()
export class AuthService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
  ) {}

  /** `address` is the client's address as Express derived it (req.ip, see TRUST_PROXY). */
  async login(username: string, password: string, address: string, via: CurrentUser['via'] = 'bearer'): Promise<{ token: string; user: CurrentUser; expiresAt: Date }> {
    await this.throttle.assertMayTry(username, address);
    const user = await this.db.getRepository(UserEntity).findOneBy({ username, active: true });
    // Verify against a dummy hash when the user is unknown, so timing does not reveal usernames.
    const ok = await verify(user?.passwordHash ?? (await dummyHash()), password).catch(() => false);
    if (!user || !ok) {
      await this.throttle.recordFailure(username, address);
      throw new AppError(AppErrorCode.UNAUTHENTICATED, 'Sai tên đăng nhập hoặc mật khẩu / wrong username or password');
    }
    await this.throttle.recordSuccess(username);
    // Ended sessions are kept a day for the audit trail, then dropped, so the table stays small.
    await this.db.query(`DELETE FROM sessions WHERE user_id = $1 AND expires_at < now() - interval '1 day'`, [user.id]);
    const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
    const sessions = this.db.getRepository(SessionEntity);
    const session = await sessions.save(sessions.create({ userId: user.id, via, expiresAt, revokedAt: null }));
    const token = await this.jwt.signAsync({ sub: user.id, jti: session.id }, { expiresIn: `${SESSION_HOURS}h` });
    return { token, user: toCurrentUser(user, via, session.id), expiresAt };
  }

  /**
   * The person behind a token, if its session is live: signed, not expired, not revoked,
   * issued for this channel (a web session's token is no bearer token), person still active.
   */
  async userFromToken(token: string, via: CurrentUser['via']): Promise<CurrentUser | undefined> {
    let claims: { sub?: unknown; jti?: unknown };
    try {
      claims = await this.jwt.verifyAsync<{ sub?: unknown; jti?: unknown }>(token);
    } catch {
      return undefined;
    }
    if (typeof claims.sub !== 'string' || typeof claims.jti !== 'string' || !UUID.test(claims.jti) || !UUID.test(claims.sub)) return undefined;
    const user = await this.db
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .innerJoin(SessionEntity, 's', 's.user_id = u.id')
      .where('s.id = :jti AND u.id = :sub AND u.active AND s.revoked_at IS NULL AND s.expires_at > now() AND s.via = :via', { jti: claims.jti, sub: claims.sub, via })
      .getOne();
    return user ? toCurrentUser(user, via, claims.jti) : undefined;
  }

  /** Ends one session; its cookie and token are refused from now on. */
  async logout(sessionId: string | undefined): Promise<void> {
    if (!sessionId) return;
    await this.db.getRepository(SessionEntity).createQueryBuilder().update().set({ revokedAt: () => 'now()' }).where('id = :id AND revoked_at IS NULL', { id: sessionId }).execute();
  }

  async createUser(input: { username: string; displayName: string; password: string; unitCode: string; roles: Role[]; email?: string }): Promise<UserEntity> {
    const repo = this.db.getRepository(UserEntity);
    const existing = await repo.findOneBy({ username: input.username });
    if (existing) return existing;
    return repo.save(
      repo.create({
        username: input.username,
        displayName: input.displayName,
        passwordHash: await hash(input.password),
        unitCode: input.unitCode,
        roles: input.roles,
        email: input.email ?? null,
      }),
    );
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hash('not-a-real-password'));

export function toCurrentUser(user: UserEntity, via: CurrentUser['via'], sessionId?: string): CurrentUser {
  return { userId: user.id, username: user.username, name: user.displayName, unit: user.unitCode, roles: user.roles, via, sessionId };
}
