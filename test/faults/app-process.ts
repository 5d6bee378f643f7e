import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Connection } from '@temporalio/client';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * apps/api or apps/worker as a separate Node process, started the way production starts it
 * (`node -r ./scripts/register.js apps/<name>/src/main.ts`), so SIGKILL is a real crash.
 */
export interface AppProcess {
  name: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  start(): Promise<void>;
  /** Sends `signal` and waits for the exit (SIGKILL after 20 s). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface AppProcessOptions {
  name: string;
  app: 'api' | 'worker';
  env: Record<string, string>;
  logFile: string;
  /** Resolves when the process serves (health URL answers, worker polls its queue). */
  ready(child: ChildProcess): Promise<void>;
}

export function appProcess(options: AppProcessOptions): AppProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const log = createWriteStream(options.logFile, { flags: 'a' });
  process.once('exit', () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });
  return {
    name: options.name,
    get pid() {
      return child?.pid;
    },
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async start() {
      const c = spawn(process.execPath, ['-r', './scripts/register.js', `apps/${options.app}/src/main.ts`], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      c.stdout?.pipe(log, { end: false });
      c.stderr?.pipe(log, { end: false });
      exited = new Promise((resolve) => c.once('exit', () => resolve()));
      log.write(`--- ${new Date().toISOString()} started ${options.name} pid ${c.pid}\n`);
      await options.ready(c);
    },
    async stop(signal = 'SIGTERM') {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      c.kill(signal);
      const timer = setTimeout(() => c.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      log.write(`--- ${new Date().toISOString()} ${options.name} stopped by ${signal}\n`);
    },
  };
}

/** The API is ready when GET /health answers 200. */
export function apiReady(baseUrl: string, timeoutMs = 120_000) {
  return async (child: ChildProcess) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
      try {
        const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`${baseUrl}/health did not answer 200 in ${timeoutMs / 1000}s`);
      await new Promise((r) => setTimeout(r, 300));
    }
  };
}

/** A worker is ready when it polls its task queue (the SDK's identity is `<pid>@<hostname>`). */
export function workerReady(connection: () => Connection, namespace: string, taskQueue: string, timeoutMs = 180_000) {
  return async (child: ChildProcess) => {
    const identity = `${child.pid}@${hostname()}`;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}`);
      try {
        const res = await connection().workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: 1 });
        if (res.pollers.some((p) => p.identity === identity)) return;
      } catch {
        /* Temporal busy or restarting */
      }
      if (Date.now() > deadline) throw new Error(`worker pid ${child.pid} did not poll ${taskQueue} in ${timeoutMs / 1000}s`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };
}
