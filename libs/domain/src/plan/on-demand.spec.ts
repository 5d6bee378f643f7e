import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onDemandOpenWindow } from './on-demand';
import { parsePlanDefinition } from './plan-definition-parser';

const seedText = readFileSync(join(__dirname, '..', '..', 'plans', 'tra-vinh-2020.plan.yaml'), 'utf8');
const parse = (text: string) => {
  const parsed = parsePlanDefinition(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.plan;
};

describe('how long a plan takes on-demand openings', () => {
  it('to 00:00 after the last day of its horizon, in the plan time zone', () => {
    const plan = parse(seedText.replace('horizon: năm 2020', 'horizon: đến hết năm 2031'));
    expect(onDemandOpenWindow(plan, Date.parse('2026-11-27T00:00:00Z'))).toEqual({ until: '2031-12-31T17:00:00Z' });
    // The seed's own (assumed) horizon, năm 2020: open through 31/12/2020 when launched then, ended now.
    expect(onDemandOpenWindow(parse(seedText), Date.parse('2020-01-05T00:00:00Z'))).toEqual({ until: '2020-12-31T17:00:00Z' });
    expect(onDemandOpenWindow(parse(seedText), Date.parse('2020-12-31T17:00:00Z'))).toBeUndefined();
  });

  it('until it is closed when the plan declares no horizon; not at all without on-demand obligations', () => {
    const plan = parse(seedText);
    expect(onDemandOpenWindow({ ...plan, plan: { ...plan.plan, horizon: undefined } }, Date.parse('2026-11-27T00:00:00Z'))).toEqual({});
    const imposedOnly = { ...plan, obligations: plan.obligations.filter((o) => !o.onDemand) };
    expect(imposedOnly.obligations.length).toBeLessThan(plan.obligations.length);
    expect(onDemandOpenWindow(imposedOnly, Date.parse('2020-01-05T00:00:00Z'))).toBeUndefined();
  });
});
