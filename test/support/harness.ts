import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import type { FileStore } from '@dieu-hanh/persistence/files';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@dieu-hanh/persistence';
import { createWorker } from '../../apps/worker/src/worker';
import { Mailer } from '../../apps/worker/src/notices/mailer';

export interface WorkerHarness {
  taskQueue: string;
  db: DataSource;
  client: Client;
  worker: Worker;
  /** Stops the worker (as a crash or a deploy would) and resolves when it stopped. */
  stopWorker(): Promise<void>;
  /** Starts a fresh worker on the same task queue. */
  restartWorker(): Promise<void>;
  close(): Promise<void>;
}

/** A real worker on a fresh task queue against the run's Temporal dev server and database. */
let runtimeInstalled = false;

export async function startWorker(
  options: {
    smtpUrl?: string;
    taskQueue?: string;
    /** The worker's activities reach PostgreSQL here (e.g. through a proxy a test can cut); the harness's own `db` does not. */
    workerDatabaseUrl?: string;
    /** Where the worker's uploads sweep finds the bytes (PostgreSQL's file_blob when not given). */
    fileStore?: FileStore;
  } = {},
): Promise<WorkerHarness> {
  if (!runtimeInstalled) {
    // Worker state chatter off; warnings and errors still show.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const taskQueue = options.taskQueue ?? `test-${randomUUID()}`;
  const db = await createDataSource(inject('databaseUrl')).initialize();
  const workerDb = options.workerDatabaseUrl ? await createDataSource(options.workerDatabaseUrl).initialize() : db;
  const nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const clientConnection = await Connection.connect({ address: inject('temporalAddress') });
  const client = new Client({ connection: clientConnection, namespace: inject('temporalNamespace') });
  const mailer = new Mailer(options.smtpUrl, 'Điều hành <test@localhost>');

  const build = () =>
    createWorker({
      connection: nativeConnection,
      namespace: inject('temporalNamespace'),
      taskQueue,
      db: workerDb,
      mailer,
      publicUrl: 'http://localhost:3000',
      fileStore: options.fileStore,
      workflowBundle: { codePath: inject('workflowBundlePath') },
    });

  let worker = await build();
  let running = worker.run();
  const harness: WorkerHarness = {
    taskQueue,
    db,
    client,
    get worker() {
      return worker;
    },
    async stopWorker() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
    async restartWorker() {
      worker = await build();
      running = worker.run();
    },
    async close() {
      await harness.stopWorker();
      mailer.close();
      await clientConnection.close();
      await nativeConnection.close();
      if (workerDb !== db) await workerDb.destroy();
      await db.destroy();
    },
  };
  return harness;
}

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
