import os from 'node:os';
import type { Client } from '@temporalio/client';
import { withWorkers, type BenchContext } from '../support/context';
import { NO_CPU, addCpu, cpuSince, cpuSnapshot, type CpuSnapshot } from '../support/cpu';
import { assignmentLife, bareLife, type LifeTimes } from '../support/lives';
import { bySize, percentile, pool, progress, type BenchResult, type BenchSize } from '../support/report';

/**
 * Targets 1 and 3: lives per second and submit-Update latency of an assignment against a
 * bare Temporal workflow (start -> Update -> complete), the same concurrency, on the same
 * server, in rounds that alternate the kinds so a noisy neighbour hits all of them alike.
 */
export async function lifeBenchmark(ctx: BenchContext, size: BenchSize): Promise<BenchResult> {
  const n = bySize(size, { small: 8, medium: 150, full: 600 });
  const concurrency = bySize(size, { small: 4, medium: 20, full: 20 });
  const rounds = bySize(size, { small: 1, medium: 3, full: 3 });
  const kinds = [
    { name: 'bare (start, Update, complete)', queue: 'life-bare', bundle: ctx.bundles.bare, life: bareLife, withActivities: false },
    ...(ctx.bundles.baseline ? [{ name: 'assignment, before (baseline)', queue: 'life-before', bundle: ctx.bundles.baseline, life: assignmentLife, withActivities: true }] : []),
    // Started as a plan's launch starts them: the opening projection written by the starter (patch perf3-opening-projection).
    { name: 'assignment, after (this branch)', queue: 'life-after', bundle: ctx.bundles.current, life: (c: Client, q: string) => assignmentLife(c, q, false, ctx.db), withActivities: true },
  ];
  const workers = await Promise.all(kinds.map((k) => ctx.worker({ taskQueue: k.queue, bundle: k.bundle, withActivities: k.withActivities })));
  const times = new Map(kinds.map((k) => [k.name, { seconds: 0, lives: [] as LifeTimes[], cpu: NO_CPU as CpuSnapshot }]));
  const bar = progress('life', n * kinds.length);
  await withWorkers(workers, async () => {
    for (let round = 0; round < rounds; round++) {
      const perRound = Math.ceil(n / rounds);
      for (const kind of kinds) {
        const began = performance.now();
        const cpuBefore = cpuSnapshot();
        const lives = await pool(perRound, concurrency, () => kind.life(ctx.client, kind.queue), () => bar.tick());
        const t = times.get(kind.name)!;
        t.seconds += (performance.now() - began) / 1000;
        t.cpu = addCpu(t.cpu, cpuSince(cpuBefore));
        t.lives.push(...lives);
      }
    }
  });
  bar.done();
  const rows = kinds.map((k) => {
    const { seconds, lives, cpu } = times.get(k.name)!;
    const col = (key: 'start' | 'update' | 'total') => lives.map((l) => l[key]);
    return {
      name: k.name,
      lives: lives.length,
      perSecond: lives.length / seconds,
      startP50: percentile(col('start'), 50),
      updateP50: percentile(col('update'), 50),
      updateP95: percentile(col('update'), 95),
      totalP50: percentile(col('total'), 50),
      totalP95: percentile(col('total'), 95),
      /** CPU ms per life, by process, over the rounds of this kind (bench/support/cpu.ts). */
      cpuPerLife: { server: cpu.server / lives.length, bench: cpu.bench / lives.length, postgres: cpu.postgres / lives.length },
      /** Share of the machine's cores busy with these three during the kind's rounds. */
      busy: (cpu.server + cpu.bench + cpu.postgres) / 1000 / seconds / os.cpus().length,
    };
  });
  const cpuTotal = (r: (typeof rows)[number]) => r.cpuPerLife.server + r.cpuPerLife.bench + r.cpuPerLife.postgres;
  const bare = rows[0];
  const after = rows.at(-1)!;
  const before = ctx.bundles.baseline ? rows[1] : undefined;
  const ratio = (r: (typeof rows)[number]) => r.perSecond / bare.perSecond;
  const updateRatio = (r: (typeof rows)[number]) => r.updateP95 / bare.updateP95;
  return {
    figures: { n, concurrency, rounds, cores: os.cpus().length, rows, livesRatio: ratio(after), livesRatioBefore: before && ratio(before), updateP95Ratio: updateRatio(after), updateP95RatioBefore: before && updateRatio(before) },
    tables: [
      {
        title: `Assignment life vs bare Temporal (${n} lives each, ${concurrency} at a time, ${rounds} alternating rounds)`,
        columns: ['workflow', 'lives/s', '× bare', 'start p50', 'Update p50', 'Update p95', 'Update p95 × bare', 'life p50', 'life p95'],
        rows: rows.map((r) => [r.name, r.perSecond, ratio(r), r.startP50, r.updateP50, r.updateP95, updateRatio(r), r.totalP50, r.totalP95]),
        notes: ['Times in ms. Targets: lives/s ≥ 0.7× bare; submit Update p95 ≤ 1.5× bare.'],
      },
      {
        title: 'Where a life\'s CPU goes (ms of CPU per life, by process, during that kind\'s rounds)',
        columns: ['workflow', 'Temporal server', 'bench process (worker, client)', 'PostgreSQL', 'total', 'total × bare', 'cores busy'],
        rows: rows.map((r) => [r.name, r.cpuPerLife.server, r.cpuPerLife.bench, r.cpuPerLife.postgres, cpuTotal(r), cpuTotal(r) / cpuTotal(bare), `${(r.busy * 100).toFixed(0)} %`]),
        notes: [
          'Read from /proc (bench/support/cpu.ts): the server is every process the bench started; PostgreSQL every postgres process, the whole cluster, so it counts only on a quiet machine.',
          'When the cores are busy, lives per second can be at most about 1 / (total × bare) of bare\'s.',
        ],
      },
    ],
  };
}
