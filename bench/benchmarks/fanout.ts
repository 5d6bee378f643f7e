import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { PlanDefinition } from '@dieu-hanh/domain';
import { WORKFLOW_TYPES, planProgressQuery, type PlanWorkflowInput } from '@dieu-hanh/workflows';
import { withWorkers, type BenchContext } from '../support/context';
import { cpuSince, cpuSnapshot, type CpuSnapshot } from '../support/cpu';
import { bySize, progress, until, type BenchResult, type BenchSize, type Cell } from '../support/report';
import { ownSeedPlan } from '../../test/support/seed-plan';
import { bigSeedPlan } from '../../test/workflows/big-plan';

/** The plan stored as the launch stores it, so the plan workflow reads its own pages. */
/** Stores a plan definition as version 1, as an import would; returns its key. */
export async function store(ctx: BenchContext, plan: PlanDefinition): Promise<string> {
  const key = `${plan.plan.code}@v1`;
  await ctx.db.query(
    `INSERT INTO plan_versions (code, version, key, number, title, fingerprint, definition, imported_by) VALUES ($1, 1, $2, $3, $4, $5, $6, 'bench')`,
    [plan.plan.code, key, plan.plan.number, plan.plan.title, randomUUID(), JSON.stringify(plan)],
  );
  return key;
}

/**
 * Target 4: launch -> every assignment of the plan in the read model (what the API's lists
 * read), for the seed plan and synthetic plans of thousands of district units.
 */
export async function fanoutBenchmark(ctx: BenchContext, size: BenchSize): Promise<BenchResult> {
  const synthetic = bySize(size, { small: [10], medium: [1000], full: [1000, 5000] });
  const seedLimit = bySize(size, { small: 20, medium: undefined, full: undefined });
  const worker = await ctx.worker({ taskQueue: 'fanout', bundle: ctx.bundles.current, options: { maxCachedWorkflows: 2000 } });
  const rows: { plan: string; workflows: number; seconds: number; perSecond: number; target?: number; visible: number; started: number; cpuPerAssignment: CpuSnapshot; busy: number }[] = [];
  const launch = async (label: string, plan: PlanDefinition, ids: string[], target: number | undefined, only?: string[]) => {
    const key = await store(ctx, plan);
    const bar = progress(`fanout ${label}`, ids.length);
    const began = performance.now();
    const cpuBefore = cpuSnapshot();
    const input: PlanWorkflowInput = { planId: key, ...(only ? { onlyAssignments: only } : {}) };
    const handle = await ctx.client.workflow.start(WORKFLOW_TYPES.plan, { workflowId: `plan:${key}`, taskQueue: 'fanout', args: [input] });
    let seen = 0;
    // Since patch perf3-opening-projection the launch writes a page's rows just before it starts
    // their workflows: the launch is done when both every row shows and every workflow has started.
    let visible: number | undefined;
    let started: number | undefined;
    await until(async () => {
      const [{ n }] = (await ctx.db.query(`SELECT count(*)::int AS n FROM assignments WHERE plan_key = $1`, [key])) as { n: number }[];
      bar.tick(n - seen);
      seen = n;
      if (visible === undefined && n >= ids.length) visible = (performance.now() - began) / 1000;
      if (started === undefined) {
        const progress = await handle.query(planProgressQuery).catch(() => undefined);
        if (progress && progress.total > 0 && progress.started >= progress.total) started = (performance.now() - began) / 1000;
      }
      return visible !== undefined && started !== undefined ? n : undefined;
    }, 30 * 60_000, `${label}: ${ids.length} assignments in the read model, their workflows started`, 250);
    const seconds = (performance.now() - began) / 1000;
    const cpu = cpuSince(cpuBefore);
    bar.done();
    const per = (ms: number) => ms / ids.length;
    rows.push({
      plan: label,
      workflows: ids.length,
      seconds,
      perSecond: ids.length / seconds,
      target,
      visible: visible!,
      started: started!,
      cpuPerAssignment: { server: per(cpu.server), bench: per(cpu.bench), postgres: per(cpu.postgres) },
      busy: (cpu.server + cpu.bench + cpu.postgres) / 1000 / seconds / os.cpus().length,
    });
  };
  await withWorkers([worker], async () => {
    const seed = ownSeedPlan('FAN');
    const key = `${seed.plan.plan.code}@v1`;
    // Monthly-report duties project their periods, not themselves: the count is of assignment rows.
    const specs = seed.specsFor(key).filter((s) => s.kind !== 'monthly-report');
    const only = seedLimit ? specs.slice(0, seedLimit).map((s) => s.id) : undefined;
    await launch(only ? `seed plan (first ${only.length})` : 'seed plan', seed.plan, only ?? specs.map((s) => s.id), 10, only);
    for (const units of synthetic) {
      const big = bigSeedPlan(`FAN${units}`, units);
      if (size === 'small') {
        // Seconds, for CI: only the synthetic units' assignments.
        const only = big.specs.filter((s) => s.leadUnit.startsWith('XA-')).map((s) => s.id);
        await launch(`${units} synthetic units only`, big.plan, only, undefined, only);
        continue;
      }
      const ids = big.specs.filter((s) => s.kind !== 'monthly-report').map((s) => s.id);
      await launch(`seed + ${units} synthetic units`, big.plan, ids, units === 1000 ? 30 : units === 5000 ? 150 : undefined);
    }
  });
  const table: Cell[][] = rows.map((r) => [r.plan, r.workflows, r.visible, r.started, r.seconds, r.perSecond, r.target, r.target === undefined ? '' : r.seconds <= r.target ? 'met' : `missed by ${(r.seconds - r.target).toFixed(0)} s`]);
  return {
    figures: { rows },
    tables: [
      {
        title: 'Fan-out: launch → every assignment visible in the read model (the API reads it) and its workflow started',
        columns: ['plan', 'assignments', 'rows visible s', 'workflows started s', 'seconds (both)', 'per s', 'target s', 'verdict'],
        rows: table,
        notes: ['Seed plan dates are in 2020, so its missed timers are recorded at start; synthetic units have a 2099 deadline.'],
      },
      {
        title: 'Where a launched assignment\'s CPU goes (ms of CPU per assignment, by process)',
        columns: ['plan', 'Temporal server', 'bench process (worker, client)', 'PostgreSQL', 'total', 'cores busy'],
        rows: rows.map((r) => {
          const c = r.cpuPerAssignment;
          return [r.plan, c.server, c.bench, c.postgres, c.server + c.bench + c.postgres, `${(r.busy * 100).toFixed(0)} %`];
        }),
        notes: ['Read from /proc (bench/support/cpu.ts); PostgreSQL is the whole cluster (the read model and, on the PostgreSQL server, Temporal\'s own databases).'],
      },
    ],
  };
}
