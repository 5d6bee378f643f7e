import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';

/**
 * A PostgreSQL cluster of the suite's own (initdb + pg_ctl in a temp folder), so the suite may
 * stop it under running workflows. Run as root, Debian's binaries refuse to start as root: they
 * run as the `postgres` user, so the folder is made under /tmp with mode 0755 and handed to it.
 */
export interface PostgresCluster {
  host: string;
  port: number;
  user: string;
  adminUrl: string;
  dataDir: string;
  logFile: string;
  /** `immediate` is a crash (recovery on start); `fast` a clean shutdown. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes the folder. */
  destroy(): Promise<void>;
}

export function postgresBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = execFileSync('ls', [base]).toString().split('\n').filter(Boolean).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(path.join(base, v, 'bin', 'initdb'))) return path.join(base, v, 'bin');
  }
  try {
    return path.dirname(execFileSync('which', ['initdb']).toString().trim());
  } catch {
    throw new Error('no PostgreSQL server binaries (initdb, pg_ctl): install postgresql or set PG_BIN');
  }
}

export async function startPostgresCluster(port: number): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const root = mkdtempSync('/tmp/dieu-hanh-faults-pg-');
  chmodSync(root, 0o755);
  const asRoot = process.getuid?.() === 0;
  let uid: number | undefined;
  let gid: number | undefined;
  if (asRoot) {
    uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(root, uid, gid);
  }
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'postgres.log');

  const pgRun = (tool: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(path.join(bin, tool), args, { cwd: root, uid, gid, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C.UTF-8' } });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${tool} ${args.join(' ')} exited ${code}:\n${output.slice(-3000)}`))));
    });

  await pgRun('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C.UTF-8']);
  const options = [
    `-p ${port}`,
    `-k ${root}`,
    `-c listen_addresses=127.0.0.1`,
    // Temporal's four services each keep a pool, plus two workers, the API and the suite.
    `-c max_connections=400`,
    `-c shared_buffers=64MB`,
    // The machine never loses power under this suite; a crash of the server itself (stop -m
    // immediate) still recovers from the WAL, which is what the faults exercise.
    `-c fsync=off`,
    `-c full_page_writes=off`,
  ].join(' ');

  const cluster: PostgresCluster = {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    logFile,
    async start() {
      await pgRun('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
      await waitForConnections(cluster.adminUrl);
    },
    async stop(mode = 'fast') {
      await pgRun('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop']).catch((err: unknown) => {
        if (!/not running|No such file|PID file/i.test(String(err))) throw err;
      });
    },
    async destroy() {
      await cluster.stop('immediate').catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
  // Never leave a postmaster behind, whatever ends the suite.
  process.once('exit', () => {
    try {
      execFileSync(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop'], { uid, gid, stdio: 'ignore' });
    } catch {
      /* already stopped */
    }
  });
  await cluster.start();
  return cluster;
}

async function waitForConnections(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

export function readLogTail(cluster: PostgresCluster, chars = 2000): string {
  try {
    return readFileSync(cluster.logFile, 'utf8').slice(-chars);
  } catch {
    return '';
  }
}
