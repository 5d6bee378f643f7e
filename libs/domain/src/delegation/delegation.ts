import type { Actor } from '../assignment/assignment-events';
import { addDays, isIsoDate, toEpochDay, type IsoDate } from '../calendar/iso-date';

/**
 * Ủy quyền: an approver lends their authority to a colleague for a span of local days.
 * This file is the one definition of "a delegation in force" and of who may give one to
 * whom; the API (creating, resolving, inbox), the pages and the approval workflow's
 * validator all ask it.
 */
export interface Delegation {
  /** The row's id, when it comes from the database. */
  id?: string;
  /** The person holding the authority. */
  from: Actor;
  /** The person who may act on it; absent in records made before this field existed. */
  to?: Actor;
  /** Inclusive civil dates (Asia/Ho_Chi_Minh), both ends: a one-day delegation has validFrom = validTo. */
  validFrom: IsoDate;
  validTo: IsoDate;
  /** Set once revoked; a revoked delegation is never in force again. */
  revokedAt?: string | null;
}

/** Longest span one delegation may cover, in days (both ends counted). */
export const MAX_DELEGATION_DAYS = 90;
/** How far ahead a delegation may start, in days. */
export const MAX_DELEGATION_LEAD_DAYS = 365;

/** Vietnam has kept UTC+7 without daylight saving since 1975; a fixed offset keeps this pure and replay-safe. */
const HO_CHI_MINH_OFFSET_MS = 7 * 3_600_000;
const MS_PER_DAY = 86_400_000;

/** The civil date in Asia/Ho_Chi_Minh at an instant: 16/01 17:00Z is already 17/01 locally. */
export function localDateInVietnam(at: Date | number): IsoDate {
  const ms = typeof at === 'number' ? at : at.getTime();
  const epochDay = Math.floor((ms + HO_CHI_MINH_OFFSET_MS) / MS_PER_DAY);
  const d = new Date(epochDay * MS_PER_DAY);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/**
 * In force on the local day `today`: not revoked, and validFrom <= today <= validTo
 * compared as civil dates. Anything that is not a plain yyyy-mm-dd (a timestamp, a Date
 * turned into JSON) is refused rather than compared as text.
 */
export function isDelegationInForce(d: Pick<Delegation, 'validFrom' | 'validTo' | 'revokedAt'>, today: IsoDate): boolean {
  if (d.revokedAt) return false;
  if (typeof d.validFrom !== 'string' || typeof d.validTo !== 'string' || typeof today !== 'string') return false;
  if (!isIsoDate(d.validFrom) || !isIsoDate(d.validTo) || !isIsoDate(today)) return false;
  return d.validFrom <= today && today <= d.validTo;
}

/** Roles that decide approval steps; only their holders have authority to lend. */
export const DELEGATING_ROLE = 'approver';

/** A drafter-only account or an auditor never acts on anyone's authority. */
export function mayReceiveDelegation(person: Pick<Actor, 'roles'>): boolean {
  if (person.roles.includes('auditor')) return false;
  return person.roles.some((r) => r !== 'drafter');
}

export interface DelegationProblem {
  field: 'toUsername' | 'validFrom' | 'validTo' | 'from';
  reason: string;
}

/**
 * Why `from` may not lend authority to `to` for validFrom..validTo, seen on the local day
 * `today`; empty when it may. The same rules are re-checked when the delegation is used
 * (see delegationRefusal), so a row written around the API is not trusted either.
 */
export function checkDelegationGrant(input: { from: Actor; to: Actor; validFrom: IsoDate; validTo: IsoDate; today: IsoDate }): DelegationProblem[] {
  const { from, to, validFrom, validTo, today } = input;
  const problems: DelegationProblem[] = [];
  if (!from.roles.includes(DELEGATING_ROLE)) problems.push({ field: 'from', reason: `only a person with the role "${DELEGATING_ROLE}" has authority to delegate` });
  if (to.userId === from.userId) problems.push({ field: 'toUsername', reason: 'cannot delegate to yourself' });
  else if (to.unit !== from.unit) problems.push({ field: 'toUsername', reason: `${to.name} belongs to ${to.unit}; a delegate must be in your unit ${from.unit}` });
  else if (!mayReceiveDelegation(to)) problems.push({ field: 'toUsername', reason: `${to.name} may not act on delegated authority (drafter-only or auditor account)` });
  if (!isIsoDate(validFrom)) problems.push({ field: 'validFrom', reason: 'must be a date yyyy-mm-dd' });
  if (!isIsoDate(validTo)) problems.push({ field: 'validTo', reason: 'must be a date yyyy-mm-dd' });
  if (problems.some((p) => p.field === 'validFrom' || p.field === 'validTo')) return problems;
  if (validFrom < today) problems.push({ field: 'validFrom', reason: `must not be in the past (today is ${today})` });
  if (validFrom > addDays(today, MAX_DELEGATION_LEAD_DAYS)) problems.push({ field: 'validFrom', reason: `must start within ${MAX_DELEGATION_LEAD_DAYS} days` });
  if (validTo < validFrom) problems.push({ field: 'validTo', reason: 'must be on or after validFrom' });
  else if (toEpochDay(validTo) - toEpochDay(validFrom) + 1 > MAX_DELEGATION_DAYS) {
    problems.push({ field: 'validTo', reason: `a delegation covers at most ${MAX_DELEGATION_DAYS} days` });
  }
  return problems;
}

/**
 * Why `actor` may not use `d` on `today`, or undefined when they may. Used where a
 * delegation is resolved (API) and again where it is used (the approval workflow's
 * validator), so a payload that names a delegation is checked, not believed.
 */
export function delegationRefusal(d: Delegation, actor: Actor, today: IsoDate): string | undefined {
  if (!isDelegationInForce(d, today)) {
    return d.revokedAt ? `the delegation from ${d.from.name} was revoked` : `the delegation from ${d.from.name} is valid ${d.validFrom}..${d.validTo}, not on ${today}`;
  }
  if (d.to && d.to.userId !== actor.userId) return `the delegation from ${d.from.name} was given to ${d.to.name}, not ${actor.name}`;
  if (d.from.userId === actor.userId) return 'a person cannot act on a delegation from themselves';
  if (!d.from.roles.includes(DELEGATING_ROLE)) return `${d.from.name} has no authority to delegate`;
  if (actor.unit !== d.from.unit) return `${actor.name} belongs to ${actor.unit}, not ${d.from.unit} like ${d.from.name}`;
  if (!mayReceiveDelegation(actor)) return `${actor.name} may not act on delegated authority`;
  return undefined;
}

/** The first of `delegations` that `actor` may use today and whose giver satisfies `holds`; all of them are considered. */
export function delegationInForceFor(delegations: readonly Delegation[], actor: Actor, today: IsoDate, holds: (from: Actor) => boolean): Delegation | undefined {
  return delegations.find((d) => holds(d.from) && delegationRefusal(d, actor, today) === undefined);
}
