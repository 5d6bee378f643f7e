/**
 * `npm run bench` runs every benchmark; `npm run bench -- life events` runs those.
 * BENCH_SIZE=small|medium|full (default medium). Each benchmark prints its tables
 * (Markdown, for docs/benchmarks.md) and writes bench/results/<name>.json and .md.
 * Speed goals live here, never in tests: nothing is asserted.
 */
import os from 'node:os';
import { SERVER_NAMES, benchServerKind, openContext, type BenchContext } from './support/context';
import { benchSize, renderTable, writeResult, type BenchResult, type BenchSize } from './support/report';
import { lifeBenchmark } from './benchmarks/life';
import { eventsBenchmark } from './benchmarks/events';
import { updateBenchmark } from './benchmarks/update';
import { fanoutBenchmark } from './benchmarks/fanout';
import { timersBenchmark } from './benchmarks/timers';
import { apiBenchmark } from './benchmarks/api';
import { replayBenchmark } from './benchmarks/replay';
import { memoryBenchmark } from './benchmarks/memory';

export const BENCHMARKS: Record<string, (ctx: BenchContext, size: BenchSize) => Promise<BenchResult>> = {
  life: lifeBenchmark,
  events: eventsBenchmark,
  update: updateBenchmark,
  fanout: fanoutBenchmark,
  timers: timersBenchmark,
  api: apiBenchmark,
  replay: replayBenchmark,
  memory: memoryBenchmark,
};

async function main(): Promise<void> {
  const size = benchSize();
  const asked = process.argv.slice(2);
  const unknown = asked.filter((n) => !(n in BENCHMARKS));
  if (unknown.length) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  const names = asked.length ? asked : Object.keys(BENCHMARKS);
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, load: os.loadavg() };
  const server = SERVER_NAMES[benchServerKind()];
  console.log(`# Benchmarks (${size}) — ${new Date().toISOString()}, ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${server}, PostgreSQL read model\n`);
  const ctx = await openContext(log);
  let failed = 0;
  try {
    for (const name of names) {
      log(`${name} …`);
      const began = performance.now();
      try {
        const result = await BENCHMARKS[name](ctx, size);
        const seconds = (performance.now() - began) / 1000;
        console.log(result.tables.map(renderTable).join('\n'));
        // Results on the PostgreSQL server kind are kept beside the dev server's (<name>-pg.json).
        const file = writeResult(benchServerKind() === 'pg' ? `${name}-pg` : name, size, result, { at: new Date().toISOString(), seconds, machine: { ...machine, load: os.loadavg() }, server });
        log(`${name} done in ${seconds.toFixed(1)} s -> ${file}`);
      } catch (err) {
        failed++;
        log(`${name} FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }
  } finally {
    await ctx.close();
  }
  if (failed) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
