import { WORKFLOW_TYPES } from '@dieu-hanh/workflows';
import type { BenchContext } from '../support/context';
import { simpleSpec } from '../support/lives';
import { startApiProcess, startWorkerProcess } from '../support/processes';
import { bySize, pool, progress, until, type BenchResult, type BenchSize } from '../support/report';

/**
 * Target 8: RSS of the real worker process with N open assignment workflows held in its
 * sticky cache (MAX_CACHED_WORKFLOWS = N), and of the real API process after it answered.
 */
export async function memoryBenchmark(ctx: BenchContext, size: BenchSize): Promise<BenchResult> {
  const n = bySize(size, { small: 20, medium: 1_000, full: 10_000 });
  // The sticky cache holds every open workflow unless BENCH_MEMORY_CACHE sizes it smaller: a
  // workflow evicted from it replays its history on its next task (a timer, an Update).
  const cache = Number(process.env.BENCH_MEMORY_CACHE) || n;
  // BENCH_WORKER_HEAP_MB caps the worker's V8 old space (--max-old-space-size), as a deployment would.
  const heapMb = Number(process.env.BENCH_WORKER_HEAP_MB) || undefined;
  const worker = await startWorkerProcess(ctx, 'memory', { MAX_CACHED_WORKFLOWS: String(cache), ...(heapMb ? { NODE_OPTIONS: `--max-old-space-size=${heapMb}` } : {}) });
  const api = await startApiProcess(ctx, { SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123' });
  const bar = progress('memory (opening workflows)', n);
  const samples: { open: number; workerMb: number }[] = [];
  try {
    const planId = `MEM-${Date.now()}`;
    await pool(n, 16, async () => {
      const spec = { ...simpleSpec(), planId };
      await ctx.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: 'memory', args: [{ spec }] });
    }, () => bar.tick());
    // Open = its first task ran and the read model has it.
    await until(async () => {
      const [{ c }] = (await ctx.db.query(`SELECT count(*)::int AS c FROM assignments WHERE plan_key = $1`, [planId])) as { c: number }[];
      samples.push({ open: c, workerMb: worker.rssMb() });
      return c >= n ? true : undefined;
    }, 20 * 60_000, `${n} open workflows`, 1000);
    bar.done();
    await new Promise((r) => setTimeout(r, size === 'small' ? 200 : 2000));
    const workerMb = worker.rssMb();
    // The API after some reads (its caches and pools warm).
    for (let i = 0; i < 50; i++) await fetch(`${api.baseUrl}/health`);
    const apiMb = api.rssMb();
    return {
      figures: { n, cache, heapMb, workerMb, apiMb, samples },
      tables: [
        {
          title: `Memory: ${n} open assignment workflows, the worker's sticky cache holding ${cache === n ? 'all of them' : cache}`,
          columns: ['process', 'open workflows', 'RSS MB', 'target MB'],
          rows: [
            [`worker (apps/worker, MAX_CACHED_WORKFLOWS = ${cache}${heapMb ? `, --max-old-space-size=${heapMb}` : ''})`, n, workerMb, 512],
            ['worker, KB per open workflow (slope over the run)', n, slopeKb(samples), undefined],
            ['API (apps/api)', undefined, apiMb, 300],
          ],
          notes: ['Target (10,000 open): worker < 512 MB, API < 300 MB.'],
        },
      ],
    };
  } finally {
    await Promise.all([worker.stop(), api.stop()]);
  }
}

/** Least-squares slope of RSS over open workflows, in KB each. */
function slopeKb(samples: { open: number; workerMb: number }[]): number {
  const s = samples.filter((x) => x.open > 0);
  if (s.length < 2) return NaN;
  const mx = s.reduce((a, x) => a + x.open, 0) / s.length;
  const my = s.reduce((a, x) => a + x.workerMb, 0) / s.length;
  const num = s.reduce((a, x) => a + (x.open - mx) * (x.workerMb - my), 0);
  const den = s.reduce((a, x) => a + (x.open - mx) ** 2, 0);
  return den === 0 ? NaN : (num / den) * 1024;
}
