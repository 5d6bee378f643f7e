import 'reflect-metadata';
import { DefaultLogger, NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { createDataSource } from '@dieu-hanh/persistence';
import { loadWorkerConfig } from './config/worker.config';
import { Mailer } from './notices/mailer';
import { createWorker } from './worker';
import { createLogger } from './logger';

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
  });
  log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE, email: mailer.enabled }, 'worker started');

  // The SDK shuts the worker down on SIGINT/SIGTERM; run() resolves once in-flight work drained.
  try {
    await worker.run();
  } finally {
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
