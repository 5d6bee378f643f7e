import 'reflect-metadata';
import { DefaultLogger, NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { createDataSource } from '@dieu-hanh/persistence';
import { loadWorkerConfig } from './config/worker.config';
import { Mailer } from './notices/mailer';
import { createWorker } from './worker';
import { createLogger } from './logger';
import { Client, Connection } from '@temporalio/client';
import { WorkflowArchiver } from './archive/workflow-archiver';
import { openFileStore } from '@dieu-hanh/persistence/files';
import { ensureUploadSweepSchedule } from './uploads/upload-sweep-schedule';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const log = createLogger('worker', config.LOG_LEVEL);
  Runtime.install({
    logger: new DefaultLogger(config.LOG_LEVEL === 'debug' ? 'DEBUG' : config.LOG_LEVEL === 'info' ? 'INFO' : 'WARN'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }) } },
  });

  const db = await createDataSource(config.DATABASE_URL).initialize();
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const mailer = new Mailer(config.SMTP_URL, config.MAIL_FROM);
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db,
    mailer,
    publicUrl: config.PUBLIC_URL,
    fileStore: await openFileStore(config, db),
    maxCachedWorkflows: config.MAX_CACHED_WORKFLOWS,
    ...(config.WORKFLOW_BUNDLE_PATH ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } } : {}),
  });
  log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE, email: mailer.enabled }, 'worker started');

  // Uploads never submitted are swept by a Temporal Schedule (each pass a short workflow run).
  if (config.UPLOAD_SWEEP_EVERY_MINUTES > 0) {
    const scheduling = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
    try {
      await ensureUploadSweepSchedule(new Client({ connection: scheduling, namespace: config.TEMPORAL_NAMESPACE }), {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        everySeconds: config.UPLOAD_SWEEP_EVERY_MINUTES * 60,
        graceSeconds: config.UPLOAD_GRACE_HOURS * 3600,
      });
    } finally {
      await scheduling.close();
    }
  }

  // Closed runs go to the tamper-evident audit archive (issue 8), beside the worker, until it stops.
  const archiverStop = new AbortController();
  const clientConnection = config.ARCHIVE_INTERVAL_SECONDS > 0 ? await Connection.connect({ address: config.TEMPORAL_ADDRESS }) : undefined;
  const archiving = clientConnection
    ? new WorkflowArchiver(new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE }), db, config.TEMPORAL_NAMESPACE, log).run(
        config.ARCHIVE_INTERVAL_SECONDS * 1000,
        archiverStop.signal,
      )
    : Promise.resolve();

  // The SDK shuts the worker down on SIGINT/SIGTERM; run() resolves once in-flight work drained.
  try {
    await worker.run();
  } finally {
    archiverStop.abort();
    await archiving;
    await clientConnection?.close();
    mailer.close();
    await connection.close();
    await db.destroy();
    log.info('worker stopped');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'worker failed', error: err instanceof Error ? err.message : String(err) })}\n`);
  process.exit(1);
});
