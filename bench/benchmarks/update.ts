import { randomUUID } from 'node:crypto';
import { WORKFLOW_TYPES, submitUpdate } from '@dieu-hanh/workflows';
import { bareSubmit } from '../bare.workflow';
import { withWorkers, type BenchContext } from '../support/context';
import { simpleSpec, submission } from '../support/lives';
import { bySize, percentile, pool, progress, type BenchResult, type BenchSize } from '../support/report';

/**
 * Target 3: the submit Update's latency on workflows that are already running (as a person's
 * submission meets them), against a bare workflow's Update, interleaved one by one.
 */
export async function updateBenchmark(ctx: BenchContext, size: BenchSize): Promise<BenchResult> {
  const n = bySize(size, { small: 6, medium: 120, full: 400 });
  const concurrency = bySize(size, { small: 2, medium: 8, full: 8 });
  const workers = await Promise.all([
    ctx.worker({ taskQueue: 'update-bare', bundle: ctx.bundles.bare, withActivities: false }),
    ctx.worker({ taskQueue: 'update-after', bundle: ctx.bundles.current }),
    ...(ctx.bundles.baseline ? [ctx.worker({ taskQueue: 'update-before', bundle: ctx.bundles.baseline })] : []),
  ]);
  const kinds = ['bare', 'after', ...(ctx.bundles.baseline ? ['before'] : [])] as const;
  const latencies = new Map<string, number[]>(kinds.map((k) => [k, []]));
  const bar = progress('update', n * kinds.length * 2);
  await withWorkers(workers, async () => {
    // Start everything first and let it settle: the Updates then meet idle, cached workflows.
    const started = await pool(n * kinds.length, 8, async (i) => {
      const kind = kinds[i % kinds.length];
      if (kind === 'bare') {
        const handle = await ctx.client.workflow.start('bareWorkflow', { workflowId: `ubare-${randomUUID()}`, taskQueue: 'update-bare' });
        return { kind, send: () => handle.executeUpdate(bareSubmit, { args: ['Báo cáo'] }), handle };
      }
      const spec = simpleSpec();
      const handle = await ctx.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: `update-${kind}`, args: [{ spec }] });
      return { kind, send: () => handle.executeUpdate(submitUpdate, { args: [submission(spec)] }), handle };
    }, () => bar.tick());
    await new Promise((r) => setTimeout(r, size === 'small' ? 500 : 3000));
    await pool(started.length, concurrency, async (i) => {
      const t0 = performance.now();
      await started[i].send();
      latencies.get(started[i].kind)!.push(performance.now() - t0);
    }, () => bar.tick());
    await Promise.all(started.map((s) => s.handle.result()));
  });
  bar.done();
  const bare = latencies.get('bare')!;
  const rows = kinds.map((k) => {
    const l = latencies.get(k)!;
    return { kind: k, n: l.length, p50: percentile(l, 50), p95: percentile(l, 95), p99: percentile(l, 99), p95xBare: percentile(l, 95) / percentile(bare, 95) };
  });
  const label: Record<string, string> = { bare: 'bare Update', after: 'submit, after (this branch)', before: 'submit, before (baseline)' };
  return {
    figures: { n, concurrency, rows },
    tables: [
      {
        title: `Submit Update latency on running workflows (${n} each, ${concurrency} at a time, interleaved)`,
        columns: ['Update', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'p95 × bare'],
        rows: rows.map((r) => [label[r.kind], r.n, r.p50, r.p95, r.p99, r.p95xBare]),
        notes: ['Target: p95 ≤ 1.5× bare. The answer comes from workflow state; the projection and notices follow in an activity after it, outside this time.'],
      },
    ],
  };
}
