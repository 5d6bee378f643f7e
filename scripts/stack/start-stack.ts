/**
 * `npm start`: the whole stack on embedded defaults, for a newcomer's machine.
 * Temporal dev server (built from source if absent), PostgreSQL (embedded unless
 * DATABASE_URL is set), migrations, the worker, the API with its web UI, the seed
 * plan imported and launched, demo accounts. Ctrl-C stops everything cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-dev-server';
import { ensureDatabase, migrate } from './database';
import { startEmbeddedPostgres } from './embedded-postgres';
import { seedDemo } from './seed-demo';

const ROOT = path.resolve(__dirname, '..', '..');
const DATA = path.join(ROOT, '.data');
const API_PORT = Number(process.env.PORT ?? 3000);
const TEMPORAL_PORT = Number(process.env.TEMPORAL_PORT ?? 7233);
const TEMPORAL_UI_PORT = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
const EMBEDDED_PG_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 5433);
const NAMESPACE = process.env.TEMPORAL_NAMESPACE ?? 'dieu-hanh';

const say = (msg: string) => process.stdout.write(`[start] ${msg}\n`);
const stops: (() => Promise<void>)[] = [];

async function startPostgres(): Promise<string> {
  if (process.env.DATABASE_URL) {
    say(`PostgreSQL: using DATABASE_URL`);
    return process.env.DATABASE_URL;
  }
  const pg = await startEmbeddedPostgres({ root: ROOT, port: EMBEDDED_PG_PORT, say });
  stops.push(() => pg.stop());
  say(`PostgreSQL: embedded, 127.0.0.1:${EMBEDDED_PG_PORT}, data in ${pg.dataDir}`);
  return ensureDatabase(pg.adminUrl, 'dieu_hanh');
}

function startApp(name: 'api' | 'worker', env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['-r', './scripts/register.js', `apps/${name}/src/main.ts`], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((l) => `[${name}] ${l}\n`)
      .join('');
  child.stdout?.on('data', (c: Buffer) => process.stdout.write(prefix(c)));
  child.stderr?.on('data', (c: Buffer) => process.stderr.write(prefix(c)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.once('exit', () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  stops.push(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    // Ctrl-C reaches the whole process group: Temporal may already be gone, and a
    // worker draining towards it would wait for ever.
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  });
  return child;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not become healthy in 120s`);
}

async function shutdown(code: number): Promise<never> {
  say('stopping...');
  for (const stop of stops.reverse()) await stop().catch((e: unknown) => say(`stop failed: ${String(e)}`));
  say('stopped.');
  process.exit(code);
}

async function main(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  let temporal: TemporalDevServer;
  if (process.env.TEMPORAL_ADDRESS) {
    say(`Temporal: using TEMPORAL_ADDRESS=${process.env.TEMPORAL_ADDRESS}`);
    temporal = { address: process.env.TEMPORAL_ADDRESS, namespace: NAMESPACE } as TemporalDevServer;
  } else {
    temporal = await startTemporalDevServer({ dataDir: path.join(DATA, 'temporal'), namespace: NAMESPACE, port: TEMPORAL_PORT, uiPort: TEMPORAL_UI_PORT });
    stops.push(() => temporal.stop());
    say(`Temporal: dev server ${temporal.address}, namespace ${NAMESPACE}`);
  }

  const databaseUrl = await startPostgres();
  const ran = await migrate(databaseUrl);
  say(`migrations: ${ran.length ? ran.join(', ') : 'up to date'}`);

  const env = {
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: NAMESPACE,
    PORT: String(API_PORT),
    TEMPORAL_UI_URL: temporal.uiUrl ?? process.env.TEMPORAL_UI_URL ?? `http://localhost:${TEMPORAL_UI_PORT}`,
  };
  startApp('worker', env);
  const api = startApp('api', env);
  const base = `http://localhost:${API_PORT}`;
  await waitForHealth(`${base}/health`, api);

  const accounts = env.NODE_ENV === 'production' ? [] : await seedDemo(base, databaseUrl, readFileSync(path.join(ROOT, 'libs/domain/plans/tra-vinh-2020.plan.yaml'), 'utf8'));

  say('');
  say('Điều hành is running:');
  say(`  Web UI         ${base}/`);
  say(`  API            ${base}/api`);
  say(`  OpenAPI        ${base}/api/docs  (JSON: ${base}/api/docs-json)`);
  say(`  Health         ${base}/health`);
  say(`  Temporal UI    ${env.TEMPORAL_UI_URL}  (namespace ${NAMESPACE})`);
  if (accounts.length) {
    say('  Demo logins (password for all: see below):');
    for (const a of accounts) say(`    ${a.username.padEnd(14)} ${a.roles.join(', ').padEnd(28)} ${a.unitCode}`);
    say(`  Password: ${accounts[0].password}`);
  }
  say('Press Ctrl-C to stop.');
}

main().catch(async (err: unknown) => {
  process.stderr.write(`[start] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  await shutdown(1);
});
