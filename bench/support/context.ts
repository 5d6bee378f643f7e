import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { WORKFLOW_PRELOAD_MODULES, workflowsPath, type AssignmentActivities } from '@dieu-hanh/workflows';
import { createDataSource } from '@dieu-hanh/persistence';
import { createActivities } from '../../apps/worker/src/worker';
import { Mailer } from '../../apps/worker/src/notices/mailer';
import { startTemporalDevServer } from '../../scripts/stack/temporal-dev-server';
import { startTemporalServer } from '../../scripts/temporal-server/temporal-server';
import { dropDatabase, ensureDatabase, migrate } from '../../scripts/stack/database';
import { freePort } from '../../scripts/stack/free-port';

/**
 * The workflow code before the perf- patches (the commit this branch started from): built
 * side by side with today's code, so "before" and "after" are measured in one run on one server.
 */
export const BASELINE_COMMIT = 'c17af67e6b96958214d88f9bfed288cc65edd75d';

type Bundle = NonNullable<WorkerOptions['workflowBundle']>;

/**
 * Which Temporal the benchmarks run on (BENCH_SERVER): `dev` is `temporal server start-dev`
 * (SQLite), `pg` the production Temporal Server on PostgreSQL (scripts/temporal-server/, as the
 * fault suite runs it), with its two databases beside the read model's on the same PostgreSQL.
 */
export type BenchServerKind = 'dev' | 'pg';

export function benchServerKind(): BenchServerKind {
  const kind = process.env.BENCH_SERVER ?? 'dev';
  if (kind !== 'dev' && kind !== 'pg') throw new Error(`BENCH_SERVER must be dev or pg, not ${kind}`);
  return kind;
}

export const SERVER_NAMES: Record<BenchServerKind, string> = {
  dev: 'Temporal dev server (SQLite)',
  pg: 'Temporal Server 1.29.1 on PostgreSQL',
};

export interface BenchContext {
  namespace: string;
  temporal: { address: string; stop(): Promise<void> };
  serverKind: BenchServerKind;
  databaseUrl: string;
  adminUrl: string;
  db: DataSource;
  client: Client;
  native: NativeConnection;
  bundles: { current: Bundle; bare: Bundle; baseline?: Bundle };
  /** A worker on a fresh task queue; activities may be wrapped (e.g. to observe notices). */
  worker(options: {
    taskQueue: string;
    bundle: Bundle;
    wrap?: (a: AssignmentActivities) => AssignmentActivities;
    withActivities?: boolean;
    options?: Partial<WorkerOptions>;
  }): Promise<Worker>;
  close(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

/** Extracts the baseline's libs/workflows/src under bench/.baseline (inside the repo, so its imports resolve). */
function baselineWorkflowsPath(): string | undefined {
  const dir = path.join(ROOT, 'bench', '.baseline', BASELINE_COMMIT);
  const entry = path.join(dir, 'libs', 'workflows', 'src', 'workflows.ts');
  if (existsSync(entry)) return entry;
  try {
    mkdirSync(dir, { recursive: true });
    const tar = execFileSync('git', ['-C', ROOT, 'archive', BASELINE_COMMIT, 'libs/workflows/src'], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    return existsSync(entry) ? entry : undefined;
  } catch {
    // A shallow clone without that commit: the "before" rows are left out.
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

export async function openContext(log: (line: string) => void): Promise<BenchContext> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const silent = new DefaultLogger('ERROR');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dieu-hanh-bench-'));
  const namespace = 'bench';
  const serverKind = benchServerKind();
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `dieu_hanh_bench_${Date.now()}_${process.pid}`;
  const temporalDbs = { main: `${dbName}_temporal`, visibility: `${dbName}_temporal_visibility` };
  log(`starting the ${SERVER_NAMES[serverKind]} and a fresh PostgreSQL database`);
  const temporal =
    serverKind === 'dev'
      ? await startTemporalDevServer({ dataDir: dir, namespace, port: await freePort() })
      : await startTemporalServer({ dir: path.join(dir, 'temporal'), postgres: postgresEndpoint(adminUrl), databases: temporalDbs, namespace });
  const databaseUrl = await ensureDatabase(adminUrl, dbName);
  await migrate(databaseUrl);
  const db = await createDataSource(databaseUrl).initialize();
  const native = await NativeConnection.connect({ address: temporal.address });
  // Long histories (replay benchmark) are fetched whole: past gRPC's 4 MB default.
  const connection = await Connection.connect({ address: temporal.address, channelArgs: { 'grpc.max_receive_message_length': 256 * 1024 * 1024 } });
  const client = new Client({ connection, namespace });

  log('bundling workflow code (current, bare, baseline)');
  const current = await bundleWorkflowCode({ workflowsPath, preloadModules: WORKFLOW_PRELOAD_MODULES, logger: silent });
  const bare = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, '..', 'bare.workflow.ts'), logger: silent });
  const baselinePath = baselineWorkflowsPath();
  const baseline = baselinePath ? await bundleWorkflowCode({ workflowsPath: baselinePath, logger: silent }) : undefined;
  const activities = createActivities({ db, mailer: new Mailer(undefined, 'bench@localhost'), publicUrl: 'http://localhost' });

  return {
    namespace,
    temporal,
    serverKind,
    databaseUrl,
    adminUrl,
    db,
    client,
    native,
    bundles: { current, bare, baseline },
    worker: ({ taskQueue, bundle, wrap, withActivities = true, options }) =>
      Worker.create({
        connection: native,
        namespace,
        taskQueue,
        workflowBundle: bundle,
        ...(withActivities ? { activities: wrap ? wrap(activities) : activities } : {}),
        ...options,
      }),
    async close() {
      await connection.close();
      await native.close();
      await db.destroy();
      await temporal.stop();
      await dropDatabase(adminUrl, dbName).catch(() => undefined);
      if (serverKind === 'pg') for (const name of Object.values(temporalDbs)) await dropDatabase(adminUrl, name).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Host, port and user of a postgres:// URL, for temporal-sql-tool and the server's config. */
function postgresEndpoint(url: string): { host: string; port: number; user: string; password?: string } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username || 'postgres'), ...(u.password ? { password: decodeURIComponent(u.password) } : {}) };
}

/** Runs `body` with a running worker and shuts it down afterwards. */
export async function withWorkers<T>(workers: Worker[], body: () => Promise<T>): Promise<T> {
  const running = workers.map((w) => w.run());
  try {
    return await body();
  } finally {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await Promise.all(running);
  }
}
