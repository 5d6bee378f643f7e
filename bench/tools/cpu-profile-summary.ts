/**
 * Where a V8 CPU profile (`node --cpu-prof`) spent its time: self time grouped by package
 * (or our own folder), and the top functions. Used for docs/benchmarks.md.
 *   node -r ./scripts/register.js bench/tools/cpu-profile-summary.ts <file.cpuprofile> [top] [package whose callers to list]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The package (node_modules/<pkg>) or our own top folder a script belongs to. */
export function groupOf(url: string, functionName: string): string {
  if (!url) return functionName ? `(${functionName})` : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.startsWith('node:') || !url.includes('/')) return 'node core';
  const ours = /\/(apps\/[^/]+|libs\/[^/]+|bench|scripts|test)\//.exec(url);
  return ours ? ours[1] : url.replace(/^file:\/\//, '');
}

export function summarise(profile: Profile): { totalMs: number; groups: [string, number][]; functions: [string, number][] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const group = groupOf(url, functionName);
    groups.set(group, (groups.get(group) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^.*\/(apps|libs|bench|scripts)\//, '$1/')}:${lineNumber + 1}` : ''}`.trim();
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>) => [...m].map(([k, v]) => [k, v / 1000] as [string, number]).sort((a, b) => b[1] - a[1]);
  return { totalMs: (profile.endTime - profile.startTime) / 1000, groups: sorted(groups), functions: sorted(functions) };
}

if (require.main === module) {
  const [file, topArg, callersOf] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> [top]');
  const top = Number(topArg ?? 25);
  const { totalMs, groups, functions } = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  const busy = groups.filter(([g]) => g !== '(idle)').reduce((s, [, ms]) => s + ms, 0);
  const pct = (ms: number) => `${((100 * ms) / totalMs).toFixed(1)} %`;
  console.log(`profile: ${(totalMs / 1000).toFixed(1)} s wall, ${(busy / 1000).toFixed(1)} s on CPU (${pct(busy)})\n`);
  console.log('| self time by package / folder | ms | share of wall |\n|---|---:|---:|');
  for (const [g, ms] of groups.slice(0, top)) console.log(`| ${g} | ${ms.toFixed(0)} | ${pct(ms)} |`);
  console.log('\n| function (self time) | ms | share of wall |\n|---|---:|---:|');
  for (const [f, ms] of functions.slice(0, top)) console.log(`| \`${f.replace(/\|/g, '\\|')}\` | ${ms.toFixed(0)} | ${pct(ms)} |`);
  if (callersOf) {
    console.log(`\n| our frame calling into ${callersOf} | ms | share of wall |\n|---|---:|---:|`);
    for (const [f, ms] of callersInto(JSON.parse(readFileSync(file, 'utf8')) as Profile, callersOf).slice(0, top)) console.log(`| \`${f}\` | ${ms.toFixed(0)} | ${pct(ms)} |`);
  }
}

/** Self time spent in `pkg`, charged to the nearest calling frame of our own code (apps/, libs/). */
export function callersInto(profile: Profile, pkg: string): [string, number][] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const charged = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const leaf = byId.get(id)!;
    if (groupOf(leaf.callFrame.url, leaf.callFrame.functionName) !== pkg) return;
    let at: number | undefined = id;
    while (at !== undefined) {
      const { url, functionName, lineNumber } = byId.get(at)!.callFrame;
      const m = /\/((?:apps|libs)\/.*)$/.exec(url);
      if (m) {
        const key = `${functionName || '(anonymous)'} ${m[1]}:${lineNumber + 1}`;
        charged.set(key, (charged.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
        return;
      }
      at = parent.get(at);
    }
  });
  return [...charged].map(([k, v]) => [k, v / 1000] as [string, number]).sort((a, b) => b[1] - a[1]);
}
