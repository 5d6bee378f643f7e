/**
 * `npm run bench`: one assignment's life (start -> submit Update -> completed, with
 * its projection and notice activities against PostgreSQL) against a bare Temporal
 * workflow doing the same start -> Update -> complete, on the same dev server and
 * machine. Prints a table; asserts nothing (speed goals live here, not in tests).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { buildEscalationSchedule, createWorkingCalendar, EscalationPolicySchema } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { WORKFLOW_TYPES, submitUpdate, workflowsPath } from '@dieu-hanh/workflows';
import { createDataSource } from '@dieu-hanh/persistence';
import { createActivities } from '../apps/worker/src/worker';
import { Mailer } from '../apps/worker/src/notices/mailer';
import { startTemporalDevServer } from '../scripts/stack/temporal-dev-server';
import { dropDatabase, ensureDatabase, migrate } from '../scripts/stack/database';
import { freePort } from '../scripts/stack/free-port';
import { bareSubmit } from './bare.workflow';

const N = Number(process.env.BENCH_N ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function runPool(n: number, concurrency: number, one: (i: number) => Promise<{ start: number; update: number; total: number }>) {
  const results: { start: number; update: number; total: number }[] = [];
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) results.push(await one(next++));
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  const col = (k: 'start' | 'update' | 'total') => results.map((r) => r[k]).sort((a, b) => a - b);
  return { seconds, perSecond: n / seconds, start: col('start'), update: col('update'), total: col('total') };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dieu-hanh-bench-'));
  const temporal = await startTemporalDevServer({ dataDir: dir, namespace: 'bench', port: await freePort() });
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `dieu_hanh_bench_${Date.now()}`;
  const databaseUrl = await ensureDatabase(adminUrl, dbName);
  await migrate(databaseUrl);
  const db = await createDataSource(databaseUrl).initialize();
  const native = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: 'bench' });
  const silent = new DefaultLogger('ERROR');
  try {
    const appBundle = await bundleWorkflowCode({ workflowsPath, logger: silent });
    const bareBundle = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'bare.workflow.ts'), logger: silent });
    const appWorker = await Worker.create({
      connection: native, namespace: 'bench', taskQueue: 'bench-app', workflowBundle: appBundle,
      activities: createActivities({ db, mailer: new Mailer(undefined, 'bench@localhost'), publicUrl: 'http://localhost' }),
    });
    const bareWorker = await Worker.create({ connection: native, namespace: 'bench', taskQueue: 'bench-bare', workflowBundle: bareBundle });
    const calendar = createWorkingCalendar();
    const policy = EscalationPolicySchema.parse({ reminders: [{ beforeWorkingDays: 3 }], ladder: [{ afterWorkingDays: 0, notify: ['lead-unit-head'] }] });
    const deadline = { nominal: '2030-01-31', effective: '2030-01-31', dueAt: '2030-01-31T23:59:59+07:00' };
    const actor = { userId: 'b', name: 'bench', unit: 'U', roles: ['drafter'] };

    const running = [appWorker.run(), bareWorker.run()];
    const bare = await runPool(N, CONCURRENCY, async () => {
      const t0 = performance.now();
      const handle = await client.workflow.start('bareWorkflow', { workflowId: `bare-${randomUUID()}`, taskQueue: 'bench-bare' });
      const t1 = performance.now();
      await handle.executeUpdate(bareSubmit, { args: ['Báo cáo'] });
      const t2 = performance.now();
      await handle.result();
      return { start: t1 - t0, update: t2 - t1, total: performance.now() - t0 };
    });
    const assignment = await runPool(N, CONCURRENCY, async () => {
      const spec: AssignmentSpec = {
        id: `concretisation:BENCH:-:${randomUUID()}`, kind: 'concretisation', planId: 'BENCH', planNumber: '1-KH/B', taskCodes: [],
        title: 'bench', leadUnit: 'U', coordinatingUnits: [], deadline, schedule: buildEscalationSchedule(policy, deadline, calendar),
        escalationPolicy: policy, noticeUnits: { standingOffice: 'O', standingCommittee: 'C' }, mustCite: '1-KH/B',
      };
      const t0 = performance.now();
      const handle = await client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: 'bench-app', args: [{ spec }] });
      const t1 = performance.now();
      await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Kế hoạch', attachments: [], actor, cites: '1-KH/B' }] });
      const t2 = performance.now();
      await handle.result();
      return { start: t1 - t0, update: t2 - t1, total: performance.now() - t0 };
    });
    appWorker.shutdown();
    bareWorker.shutdown();
    await Promise.all(running);

    const ms = (v: number) => v.toFixed(1).padStart(8);
    const line = (name: string, r: typeof bare) =>
      `| ${name.padEnd(32)} | ${r.perSecond.toFixed(1).padStart(7)} | ${ms(percentile(r.start, 50))}  | ${ms(percentile(r.update, 50))}   | ${ms(percentile(r.update, 95))}   | ${ms(percentile(r.total, 50))}  | ${ms(percentile(r.total, 95))}  |`;
    console.log(`\n${N} workflows, ${CONCURRENCY} at a time, ${os.cpus().length} cores, Temporal dev server (SQLite), PostgreSQL read model\n`);
    console.log('| workflow                         |   per s | start p50 | update p50 | update p95 | total p50 | total p95 |');
    console.log('|----------------------------------|---------|-----------|------------|------------|-----------|-----------|');
    console.log(line('bare (start, Update, complete)', bare));
    console.log(line('assignment (+projection, notice)', assignment));
    console.log('\n(times in ms)');
  } finally {
    await connection.close();
    await native.close();
    await db.destroy();
    await temporal.stop();
    await dropDatabase(adminUrl, dbName).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
