import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

const ROOT = path.join(__dirname, '..', '..');
/** axe-core's browser build, injected with page.evaluate (the page's CSP blocks addScriptTag, not evaluate). */
const AXE_SOURCE = readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

interface AxeNode { target: unknown[]; failureSummary?: string }
export interface AxeViolation { id: string; impact?: string | null; help: string; helpUrl: string; nodes: AxeNode[] }

/** Runs axe (the WCAG 2.0 A and AA rules) on the page as it is now; returns the serious and critical violations. A11Y_DEBUG=1 prints every violation, of any impact. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[]; passes: unknown[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: ['wcag2a', 'wcag2aa'] });
    if (result.passes.length === 0) throw new Error('axe ran no rule that passed: is it really running on the page?');
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  if (process.env.A11Y_DEBUG) console.log(new URL(page.url()).pathname, JSON.stringify(violations, null, 1));
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** One line per violation and per node, so a failing run says what to fix and where. */
export function describeViolations(where: string, violations: AxeViolation[]): string {
  if (violations.length === 0) return `${where}: no serious or critical violations`;
  return [
    `${where}: ${violations.length} serious/critical axe violation(s)`,
    ...violations.flatMap((v) => [
      `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`,
      ...v.nodes.map((n) => `    at ${JSON.stringify(n.target)}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`),
    ]),
  ].join('\n');
}
