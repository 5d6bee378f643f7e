import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { hash, verify } from '@node-rs/argon2';
import { DataSource } from 'typeorm';
import { UserEntity, type Role } from '@dieu-hanh/persistence';
import { AppError, AppErrorCode } from '../common/app-error';
import type { CurrentUser } from './current-user';

/** Passwords hashed with Argon2id (@node-rs/argon2: prebuilt binaries, no install script). */
@Injectable()
export class AuthService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(JwtService) private readonly jwt: JwtService,
  ) {}

  async login(username: string, password: string): Promise<{ token: string; user: CurrentUser }> {
    const user = await this.db.getRepository(UserEntity).findOneBy({ username, active: true });
    // Verify against a dummy hash when the user is unknown, so timing does not reveal usernames.
    const ok = await verify(user?.passwordHash ?? (await dummyHash()), password).catch(() => false);
    if (!user || !ok) throw new AppError(AppErrorCode.UNAUTHENTICATED, 'Sai tên đăng nhập hoặc mật khẩu / wrong username or password');
    return { token: await this.jwt.signAsync({ sub: user.id }), user: toCurrentUser(user, 'bearer') };
  }

  async userFromToken(token: string, via: CurrentUser['via']): Promise<CurrentUser | undefined> {
    try {
      const { sub } = await this.jwt.verifyAsync<{ sub: string }>(token);
      const user = await this.db.getRepository(UserEntity).findOneBy({ id: sub, active: true });
      return user ? toCurrentUser(user, via) : undefined;
    } catch {
      return undefined;
    }
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

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hash('not-a-real-password'));

export function toCurrentUser(user: UserEntity, via: CurrentUser['via']): CurrentUser {
  return { userId: user.id, username: user.username, name: user.displayName, unit: user.unitCode, roles: user.roles, via };
}
