import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_PRELOAD_MODULES, workflowsPath } from '@dieu-hanh/workflows';
import { startTemporalDevServer, temporalBinary } from '../scripts/stack/temporal-dev-server';
import { dropDatabase, ensureDatabase, migrate } from '../scripts/stack/database';
import { freePort } from '../scripts/stack/free-port';

/**
 * One real Temporal dev server, one fresh PostgreSQL database (migrated) and one
 * workflow bundle for the whole integration run.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dieu-hanh-test-'));
  const namespace = 'dieu-hanh-test';
  const temporal = await startTemporalDevServer({ dataDir: dir, namespace, port: await freePort() });

  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `dieu_hanh_test_${Date.now()}_${process.pid}`;
  let databaseUrl: string;
  const workflowBundlePath = path.join(dir, 'workflow-bundle.js');
  try {
    databaseUrl = await ensureDatabase(adminUrl, dbName);
    await migrate(databaseUrl);
    const { code } = await bundleWorkflowCode({ workflowsPath, preloadModules: WORKFLOW_PRELOAD_MODULES, logger: new DefaultLogger('ERROR') });
    writeFileSync(workflowBundlePath, code);
  } catch (err) {
    await temporal.stop();
    await dropDatabase(adminUrl, dbName).catch(() => undefined);
    throw err;
  }

  project.provide('temporalAddress', temporal.address);
  project.provide('temporalNamespace', namespace);
  project.provide('databaseUrl', databaseUrl);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('temporalCli', temporalBinary());

  return async () => {
    await temporal.stop();
    await dropDatabase(adminUrl, dbName).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
}
