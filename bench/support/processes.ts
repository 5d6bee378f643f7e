import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchContext } from './context';
import { freePort } from '../../scripts/stack/free-port';
import { until } from './report';

const ROOT = path.resolve(__dirname, '..', '..');

export interface AppProcess {
  child: ChildProcess;
  /** Resident set size now, in MB (from /proc). */
  rssMb(): number;
  stop(): Promise<void>;
}

export interface ApiProcess extends AppProcess {
  baseUrl: string;
}

function start(entry: string, env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, ['-r', './scripts/register.js', entry], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const keep = (b: Buffer) => tail.push(...b.toString().split('\n').slice(-5)) && tail.splice(0, Math.max(0, tail.length - 20));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('exit', (code) => {
    if (code) process.stderr.write(`[bench] ${entry} exited ${code}:\n${tail.join('\n')}\n`);
  });
  return {
    child,
    rssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

const common = (ctx: BenchContext, taskQueue: string) => ({
  DATABASE_URL: ctx.databaseUrl,
  TEMPORAL_ADDRESS: ctx.temporal.address,
  TEMPORAL_NAMESPACE: ctx.namespace,
  TEMPORAL_TASK_QUEUE: taskQueue,
});

/** The real worker (apps/worker/src/main.ts) as its own process, on today's prebuilt bundle. */
export async function startWorkerProcess(ctx: BenchContext, taskQueue: string, env: Record<string, string> = {}): Promise<AppProcess> {
  const bundlePath = path.join(os.tmpdir(), `dieu-hanh-bench-bundle-${process.pid}.js`);
  writeFileSync(bundlePath, (ctx.bundles.current as { code: string }).code);
  const app = start('apps/worker/src/main.ts', { ...common(ctx, taskQueue), WORKFLOW_BUNDLE_PATH: bundlePath, ARCHIVE_INTERVAL_SECONDS: '0', ...env });
  // Ready when it polls: a workflow started on its queue gets its first task.
  return app;
}

/** The real API (apps/api/src/main.ts) as its own process; ready when /health answers. */
export async function startApiProcess(ctx: BenchContext, env: Record<string, string> = {}): Promise<ApiProcess> {
  const port = await freePort();
  const app = start('apps/api/src/main.ts', { ...common(ctx, 'bench-api'), PORT: String(port), HOST: '127.0.0.1', ...env });
  const baseUrl = `http://127.0.0.1:${port}`;
  await until(async () => {
    if (app.child.exitCode !== null) throw new Error('the API exited at start');
    return (await fetch(`${baseUrl}/health`).then((r) => r.status, () => 0)) > 0 ? true : undefined;
  }, 120_000, 'the API to answer /health', 250);
  return { ...app, baseUrl };
}
