import type { Role } from '@dieu-hanh/persistence';
import { seesEveryUnit, unitAccess } from '@dieu-hanh/domain/assignment';
import type { CurrentUser } from './current-user';
import { AppError, AppErrorCode } from '../common/app-error';

/**
 * Roles that may decide an approval step, before the step's own authority (unit, position) is
 * checked: approvers, the Standing Office, and a unit head for the step in their own unit
 * (the plan's unitHeadReview: the drafter's draft goes to the lead unit's head first).
 */
export const DECIDING_ROLES: readonly Role[] = ['approver', 'standing-office', 'unit-head'];

/** Roles that see every unit's assignments (the domain's one rule, libs/domain unit-access). */
export const seesAllUnits = (user: CurrentUser) => seesEveryUnit(user);

/** Reading an assignment (or its approval, its files): its lead unit, its coordinating units, and those who see every unit. */
export function assertCanRead(user: CurrentUser, leadUnit: string, coordinatingUnits: readonly string[] = []): void {
  if (!unitAccess(user, { leadUnit, coordinatingUnits })) {
    throw new AppError(AppErrorCode.FORBIDDEN, `${user.name} belongs to ${user.unit} and may not see ${leadUnit}'s assignments`, 'OTHER_UNIT', undefined, { own: user.unit, unit: leadUnit });
  }
}

export function assertCanSubmit(user: CurrentUser, leadUnit: string): void {
  if (!user.roles.some((r) => r === 'drafter' || r === 'unit-head')) {
    throw new AppError(AppErrorCode.FORBIDDEN, `only a drafter or unit head submits; ${user.name} has ${user.roles.join(', ')}`, 'ROLE');
  }
  if (user.unit !== leadUnit) {
    throw new AppError(AppErrorCode.FORBIDDEN, `${user.name} belongs to ${user.unit}; only ${leadUnit} submits here`, 'OTHER_UNIT', undefined, { own: user.unit, unit: leadUnit });
  }
}

export function assertRole(user: CurrentUser, roles: string[], what: string): void {
  if (!user.roles.some((r) => roles.includes(r))) {
    throw new AppError(AppErrorCode.FORBIDDEN, `${what} needs one of the roles ${roles.join(', ')}`, 'ROLE');
  }
}

/**
 * Standing Office powers (extension decisions, deadline shifts) belong to the people of the
 * plan's own Standing Office unit: the role alone, held in another unit, is not enough.
 */
export function assertStandingOfficeOf(user: CurrentUser, standingOfficeUnit: string, what: string): void {
  assertRole(user, ['standing-office'], what);
  if (user.unit !== standingOfficeUnit) {
    throw new AppError(AppErrorCode.FORBIDDEN, `${what} is for the Standing Office ${standingOfficeUnit}; ${user.name} belongs to ${user.unit}`, 'OTHER_UNIT', undefined, { own: user.unit, unit: standingOfficeUnit });
  }
}
