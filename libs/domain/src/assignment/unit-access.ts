/**
 * Who may see an assignment: the one rule the API, the pages, the inbox and the lists' SQL
 * follow. People of the roles below see every unit's; a unit's own people see what their
 * unit leads, and what it coordinates (phối hợp) — to read and comment, never to act for
 * the lead unit.
 */
export const SEES_ALL_UNITS_ROLES: readonly string[] = ['standing-office', 'approver', 'auditor', 'administrator'];

/** How a person may see an assignment: every unit's, as its lead unit, as a coordinating unit. */
export type UnitAccess = 'all' | 'lead' | 'coordinating';

export interface AccessSubject {
  unit: string;
  roles: readonly string[];
}

export const seesEveryUnit = (person: AccessSubject): boolean => person.roles.some((r) => SEES_ALL_UNITS_ROLES.includes(r));

/** How `person` may see an assignment led by `leadUnit` with `coordinatingUnits`; undefined: not at all. */
export function unitAccess(person: AccessSubject, assignment: { leadUnit: string; coordinatingUnits?: readonly string[] }): UnitAccess | undefined {
  if (person.unit === assignment.leadUnit) return 'lead';
  if (seesEveryUnit(person)) return 'all';
  if (assignment.coordinatingUnits?.includes(person.unit)) return 'coordinating';
  return undefined;
}

/**
 * The same rule as a SQL condition on an assignments row (`alias.lead_unit`,
 * `alias.coordinating_units`), with `:<param>` bound to the person's unit; for people who see
 * every unit, no condition is needed.
 */
export const unitAccessSql = (alias: string, param: string): string => `(${alias}.lead_unit = :${param} OR :${param} = ANY(${alias}.coordinating_units))`;
