import { describe, expect, it } from 'vitest';
import type { Actor } from '../assignment/assignment-events';
import { checkDelegationGrant, delegationInForceFor, delegationRefusal, isDelegationInForce, localDateInVietnam, type Delegation } from './delegation';

const deputy: Actor = { userId: 'd', name: 'Phó Bí thư', unit: 'TT-TU', roles: ['approver', 'pho-bi-thu'] };
const standIn: Actor = { userId: 's', name: 'Ủy viên', unit: 'TT-TU', roles: ['approver'] };
const drafter: Actor = { userId: 'r', name: 'Chuyên viên', unit: 'TT-TU', roles: ['drafter'] };
const auditor: Actor = { userId: 'k', name: 'Kiểm tra', unit: 'TT-TU', roles: ['auditor', 'approver'] };
const elsewhere: Actor = { userId: 'e', name: 'Đơn vị khác', unit: 'BTC-TU', roles: ['approver'] };

describe('a delegation in force', () => {
  it('counts local days in Asia/Ho_Chi_Minh, both ends included', () => {
    expect(localDateInVietnam(new Date('2020-01-26T16:59:59Z'))).toBe('2020-01-26');
    expect(localDateInVietnam(new Date('2020-01-26T17:00:00Z'))).toBe('2020-01-27'); // 00:00 +07
    const oneDay = { validFrom: '2020-01-27', validTo: '2020-01-27' };
    expect(isDelegationInForce(oneDay, localDateInVietnam(new Date('2020-01-26T17:00:00Z')))).toBe(true);
    expect(isDelegationInForce(oneDay, localDateInVietnam(new Date('2020-01-27T16:59:59Z')))).toBe(true);
    expect(isDelegationInForce(oneDay, '2020-01-28')).toBe(false);
    expect(isDelegationInForce(oneDay, '2020-01-26')).toBe(false);
  });

  it('is never in force once revoked, nor with dates that are not plain civil dates', () => {
    expect(isDelegationInForce({ validFrom: '2020-01-27', validTo: '2020-02-07', revokedAt: '2020-01-28T02:00:00Z' }, '2020-01-29')).toBe(false);
    // A date column read as a JS Date and sent as JSON: refused, not compared as text.
    expect(isDelegationInForce({ validFrom: '2020-01-27T00:00:00.000Z', validTo: '2020-01-27T00:00:00.000Z' }, '2020-01-27')).toBe(false);
  });

  it('considers every delegation between two people, not only the first', () => {
    const old: Delegation = { id: '1', from: deputy, to: standIn, validFrom: '2020-01-02', validTo: '2020-01-03' };
    const revoked: Delegation = { id: '2', from: deputy, to: standIn, validFrom: '2020-01-27', validTo: '2020-02-07', revokedAt: '2020-01-20T00:00:00Z' };
    const current: Delegation = { id: '3', from: deputy, to: standIn, validFrom: '2020-01-25', validTo: '2020-01-31' };
    expect(delegationInForceFor([old, revoked, current], standIn, '2020-01-28', () => true)?.id).toBe('3');
    expect(delegationInForceFor([old, revoked], standIn, '2020-01-28', () => true)).toBeUndefined();
    expect(delegationInForceFor([current], standIn, '2020-01-28', (from) => from.roles.includes('chanh-van-phong'))).toBeUndefined();
  });

  it('is refused to another person, across units, to drafter-only accounts and to auditors', () => {
    const d: Delegation = { from: deputy, to: standIn, validFrom: '2020-01-27', validTo: '2020-01-31' };
    expect(delegationRefusal(d, standIn, '2020-01-28')).toBeUndefined();
    expect(delegationRefusal(d, drafter, '2020-01-28')).toMatch(/given to/);
    expect(delegationRefusal({ ...d, to: undefined }, drafter, '2020-01-28')).toMatch(/may not act/);
    expect(delegationRefusal({ ...d, to: undefined }, auditor, '2020-01-28')).toMatch(/may not act/);
    expect(delegationRefusal({ ...d, to: undefined }, elsewhere, '2020-01-28')).toMatch(/belongs to BTC-TU/);
    expect(delegationRefusal({ ...d, from: { ...deputy, roles: ['pho-bi-thu'] } }, standIn, '2020-01-28')).toMatch(/no authority/);
  });
});

describe('giving a delegation', () => {
  const grant = (over: Partial<Parameters<typeof checkDelegationGrant>[0]>) =>
    checkDelegationGrant({ from: deputy, to: standIn, validFrom: '2020-01-27', validTo: '2020-02-07', today: '2020-01-27', ...over }).map((p) => p.field);

  it('accepts an approver lending to a colleague of the same unit for up to 90 days from today', () => {
    expect(grant({})).toEqual([]);
    expect(grant({ validTo: '2020-04-25' })).toEqual([]); // 90 days, both ends
  });

  it('names what is wrong', () => {
    expect(grant({ validTo: '2020-04-26' })).toEqual(['validTo']); // 91 days
    expect(grant({ validTo: '2099-12-31' })).toEqual(['validTo']);
    expect(grant({ validFrom: '2020-01-26' })).toEqual(['validFrom']); // starts yesterday
    expect(grant({ validFrom: '2020-02-08' })).toEqual(['validTo']); // ends before it starts
    expect(grant({ validFrom: '2021-02-01', validTo: '2021-02-02' })).toEqual(['validFrom']); // more than a year ahead
    expect(grant({ validFrom: '2020-02-30' })).toEqual(['validFrom']);
    expect(grant({ to: drafter })).toEqual(['toUsername']);
    expect(grant({ to: auditor })).toEqual(['toUsername']);
    expect(grant({ to: elsewhere })).toEqual(['toUsername']);
    expect(grant({ to: deputy })).toEqual(['toUsername']);
    expect(grant({ from: { ...deputy, roles: ['standing-office'] } })).toEqual(['from']);
  });
});
