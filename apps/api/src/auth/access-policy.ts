import type { CurrentUser } from './current-user';
import { AppError, AppErrorCode } from '../common/app-error';

/** Roles that see every unit's assignments. Units' own people see their unit only. */
const SEES_ALL = new Set(['standing-office', 'approver', 'auditor', 'administrator']);

export const seesAllUnits = (user: CurrentUser) => user.roles.some((r) => SEES_ALL.has(r));

export function assertCanRead(user: CurrentUser, leadUnit: string): void {
  if (!seesAllUnits(user) && user.unit !== leadUnit) {
    throw new AppError(AppErrorCode.FORBIDDEN, `${user.name} belongs to ${user.unit} and may not see ${leadUnit}'s assignments`, 'OTHER_UNIT');
  }
}

export function assertCanSubmit(user: CurrentUser, leadUnit: string): void {
  if (!user.roles.some((r) => r === 'drafter' || r === 'unit-head')) {
    throw new AppError(AppErrorCode.FORBIDDEN, `only a drafter or unit head submits; ${user.name} has ${user.roles.join(', ')}`, 'ROLE');
  }
  if (user.unit !== leadUnit) {
    throw new AppError(AppErrorCode.FORBIDDEN, `${user.name} belongs to ${user.unit}; only ${leadUnit} submits here`, 'OTHER_UNIT');
  }
}

export function assertRole(user: CurrentUser, roles: string[], what: string): void {
  if (!user.roles.some((r) => roles.includes(r))) {
    throw new AppError(AppErrorCode.FORBIDDEN, `${what} needs one of the roles ${roles.join(', ')}`, 'ROLE');
  }
}
