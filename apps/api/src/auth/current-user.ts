import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@dieu-hanh/domain/assignment';
import type { Role } from '@dieu-hanh/persistence';

/** The authenticated person, as workflows see them (Actor) plus their roles. */
export interface CurrentUser extends Actor {
  username: string;
  roles: Role[];
  via: 'bearer' | 'session';
}

export const IS_PUBLIC = Symbol('isPublic');
/** Marks a route that needs no login (health, login, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const User = createParamDecorator((_: unknown, ctx: ExecutionContext): CurrentUser => {
  return ctx.switchToHttp().getRequest<{ user: CurrentUser }>().user;
});
