import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@dieu-hanh/domain/assignment';
import type { Role } from '@dieu-hanh/persistence';

/** The authenticated person, as workflows see them (Actor) plus their roles. */
export interface CurrentUser extends Actor {
  username: string;
  roles: Role[];
  via: 'bearer' | 'session';
  /** The login this request belongs to (the token's jti); logout revokes it. */
  sessionId?: string;
}

export const IS_PUBLIC = Symbol('isPublic');
/** Marks a route that needs no login (health, login, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const ALLOW_AUDITOR = Symbol('allowAuditor');
/**
 * The auditor reads and changes nothing: every write is refused to a person holding that role
 * (RolesGuard), except the few marked with this (logging out).
 */
export const AllowAuditor = () => SetMetadata(ALLOW_AUDITOR, true);

export const User = createParamDecorator((_: unknown, ctx: ExecutionContext): CurrentUser => {
  return ctx.switchToHttp().getRequest<{ user: CurrentUser }>().user;
});
