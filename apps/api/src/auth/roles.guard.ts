import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@dieu-hanh/persistence';
import { AppError, AppErrorCode } from '../common/app-error';
import { ALLOW_AUDITOR, IS_PUBLIC, type CurrentUser } from './current-user';

export const ROLES = Symbol('roles');
/** Only people holding one of these roles reach the handler (checked before input validation). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const targets = [ctx.getHandler(), ctx.getClass()];
    const req = ctx.switchToHttp().getRequest<{ user?: CurrentUser; method: string }>();
    const user = req.user;
    // The auditor is read-only everywhere, API and web forms alike (Ủy ban Kiểm tra reads, changes nothing).
    const writes = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
    if (writes && user?.roles.includes('auditor') && !this.reflector.getAllAndOverride<boolean>(ALLOW_AUDITOR, targets) && !this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      throw new AppError(AppErrorCode.FORBIDDEN, `${user.name} is an auditor: auditors read and change nothing`, 'READ_ONLY');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (!roles?.length) return true;
    if (!user) throw new AppError(AppErrorCode.UNAUTHENTICATED, 'Cần đăng nhập / login required');
    if (!user.roles.some((r) => roles.includes(r))) {
      throw new AppError(AppErrorCode.FORBIDDEN, `this needs one of the roles ${roles.join(', ')}; ${user.name} has ${user.roles.join(', ')}`, 'ROLE');
    }
    return true;
  }
}
