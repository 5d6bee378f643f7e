import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@dieu-hanh/persistence';
import { AppError, AppErrorCode } from '../common/app-error';
import type { CurrentUser } from './current-user';

export const ROLES = Symbol('roles');
/** Only people holding one of these roles reach the handler (checked before input validation). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [ctx.getHandler(), ctx.getClass()]);
    if (!roles?.length) return true;
    const user = ctx.switchToHttp().getRequest<{ user?: CurrentUser }>().user;
    if (!user) throw new AppError(AppErrorCode.UNAUTHENTICATED, 'Cần đăng nhập / login required');
    if (!user.roles.some((r) => roles.includes(r))) {
      throw new AppError(AppErrorCode.FORBIDDEN, `this needs one of the roles ${roles.join(', ')}; ${user.name} has ${user.roles.join(', ')}`, 'ROLE');
    }
    return true;
  }
}
