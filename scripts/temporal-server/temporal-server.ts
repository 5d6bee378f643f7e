/**
 * The production topology: Temporal Server (not the dev server) persisted in PostgreSQL, with
 * advanced visibility in PostgreSQL too, so our custom search attributes work. Builds and caches
 * the server and its SQL tool (build.sh), creates and migrates Temporal's two databases, writes a
 * config derived from the module's config/development-postgres12.yaml, starts the server, and
 * registers our namespace and search attributes. docker-compose.yml runs the same release with
 * the same settings.
 */
import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, createWriteStream, type WriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES_FOR_CLI } from '@dieu-hanh/workflows';
import { temporalBinary } from '../stack/temporal-dev-server';

const run = promisify(execFile);

/** The release docker-compose.yml pins too; the CLI v1.5.1 embeds the same server. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';

export interface TemporalServerTools {
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12 of the server module: temporal/versioned and visibility/versioned. */
  schemaDir: string;
  configTemplate: string;
}

/** Finds or builds the server and the SQL tool (scripts/temporal-server/build.sh). */
export function temporalServerTools(): TemporalServerTools {
  const bin = execFileSync('bash', [path.join(__dirname, 'build.sh')], { stdio: ['ignore', 'pipe', 'inherit'] })
    .toString()
    .trim();
  const support = path.join(path.dirname(bin), `temporal-server-${TEMPORAL_SERVER_VERSION}`);
  return {
    server: path.join(bin, 'temporal-server'),
    sqlTool: path.join(bin, 'temporal-sql-tool'),
    schemaDir: path.join(support, 'schema', 'postgresql', 'v12'),
    configTemplate: path.join(support, 'config', 'development-postgres12.yaml'),
  };
}

export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string;
  password?: string;
}

export interface TemporalDatabases {
  main: string;
  visibility: string;
}

export const DEFAULT_DATABASES: TemporalDatabases = { main: 'temporal', visibility: 'temporal_visibility' };

/**
 * Creates both databases if absent and brings their schema to the server's version:
 * `create-database`, `setup-schema -v 0.0`, `update-schema -d <versioned>`. Safe to re-run
 * (an existing database and a current schema are left as they are).
 */
export async function migrateTemporalDatabases(tools: TemporalServerTools, pg: PostgresEndpoint, dbs: TemporalDatabases = DEFAULT_DATABASES): Promise<void> {
  const base = ['--plugin', 'postgres12', '--ep', pg.host, '-p', String(pg.port), '-u', pg.user, ...(pg.password ? ['--pw', pg.password] : [])];
  const sql = async (db: string, ...args: string[]) => {
    try {
      await run(tools.sqlTool, [...base, '--db', db, ...args], { env: { ...process.env }, maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      const output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
      // create-database on an existing database is the one failure that means "nothing to do".
      if (args[0] === 'create-database' && /already exists/i.test(output)) return;
      throw new Error(`temporal-sql-tool --db ${db} ${args.join(' ')} failed: ${e.message}\n${output.slice(-3000)}`);
    }
  };
  for (const [db, folder] of [
    [dbs.main, 'temporal'],
    [dbs.visibility, 'visibility'],
  ] as const) {
    await sql(db, 'create-database');
    await sql(db, 'setup-schema', '-v', '0.0');
    await sql(db, 'update-schema', '-d', path.join(tools.schemaDir, folder, 'versioned'));
  }
}

export interface TemporalServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

/**
 * Free ports below 32768: Temporal keeps membership ports in a `smallint` column, so the kernel's
 * ephemeral ports (32768 and up, what port 0 hands out) make the server exit at start.
 */
async function freeLowPort(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.unref();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port between 20000 and 32000');
}

export async function chooseServerPorts(frontend?: number): Promise<TemporalServerPorts> {
  const taken = new Set<number>(frontend ? [frontend] : []);
  const next = () => freeLowPort(taken);
  return {
    frontend: frontend ?? (await next()),
    frontendHttp: await next(),
    frontendMembership: await next(),
    history: await next(),
    historyMembership: await next(),
    matching: await next(),
    matchingMembership: await next(),
    worker: await next(),
    workerMembership: await next(),
  };
}

interface ServerConfigDoc {
  log: { stdout: boolean; level: string };
  persistence: { numHistoryShards: number; datastores: Record<string, { sql: Record<string, unknown> }> };
  global: { membership: Record<string, unknown>; pprof?: { port: number }; metrics?: unknown };
  services: Record<string, { rpc: Record<string, unknown> }>;
  clusterMetadata: { clusterInformation: Record<string, { rpcAddress: string }> };
  archival?: unknown;
  namespaceDefaults?: unknown;
  dynamicConfigClient?: { filepath: string; pollInterval: string };
}

/**
 * The module's development-postgres12.yaml with: our PostgreSQL and databases, our ports on
 * 127.0.0.1, no pprof or metrics listener (they would collide with other servers on the
 * machine), no archival, warnings only in the log. Visibility stays on the `postgres12` SQL
 * store, which is advanced visibility: custom search attributes and list filters work.
 */
export function renderServerConfig(template: string, pg: PostgresEndpoint, dbs: TemporalDatabases, ports: TemporalServerPorts, dynamicConfigPath: string): string {
  const doc = parse(template) as ServerConfigDoc;
  doc.log = { stdout: true, level: 'warn' };
  for (const [name, store] of Object.entries(doc.persistence.datastores)) {
    Object.assign(store.sql, {
      databaseName: name.includes('visibility') ? dbs.visibility : dbs.main,
      connectAddr: `${pg.host}:${pg.port}`,
      user: pg.user,
      password: pg.password ?? '',
    });
  }
  delete doc.global.pprof;
  delete doc.global.metrics;
  doc.global.membership = { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' };
  const rpc = (grpcPort: number, membershipPort: number, extra: Record<string, unknown> = {}) => ({ rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra } });
  doc.services = {
    frontend: rpc(ports.frontend, ports.frontendMembership, { httpPort: ports.frontendHttp }),
    history: rpc(ports.history, ports.historyMembership),
    matching: rpc(ports.matching, ports.matchingMembership),
    worker: rpc(ports.worker, ports.workerMembership),
  };
  for (const info of Object.values(doc.clusterMetadata.clusterInformation)) info.rpcAddress = `127.0.0.1:${ports.frontend}`;
  delete doc.archival;
  delete doc.namespaceDefaults;
  doc.dynamicConfigClient = { filepath: dynamicConfigPath, pollInterval: '10s' };
  return stringify(doc);
}

/** Dynamic config: the server's defaults, except ids as long as our business keys may get. */
const DYNAMIC_CONFIG = `# Written by scripts/temporal-server/temporal-server.ts
limit.maxIDLength:
  - value: 1000
    constraints: {}
`;

export interface TemporalServerOptions {
  /** Folder for the config files and the server log. */
  dir: string;
  postgres: PostgresEndpoint;
  namespace: string;
  databases?: TemporalDatabases;
  /** Frontend gRPC port; free ports are chosen when absent. */
  port?: number;
  /** How long closed workflows stay (namespace retention). */
  retention?: string;
  log?: (line: string) => void;
}

export interface TemporalServer {
  address: string;
  namespace: string;
  ports: TemporalServerPorts;
  logFile: string;
  readonly process: ChildProcess | undefined;
  /** SIGTERM (SIGKILL after 15 s) and wait for the exit. */
  stop(): Promise<void>;
  /** Starts it again on the same ports and databases, and waits for the frontend. */
  start(): Promise<void>;
}

/**
 * Builds if needed, migrates, configures, starts, and registers the namespace with our search
 * attributes. The returned handle stops and restarts the same server (a fault suite's lever).
 */
export async function startTemporalServer(options: TemporalServerOptions): Promise<TemporalServer> {
  const tools = temporalServerTools();
  const dbs = options.databases ?? DEFAULT_DATABASES;
  await migrateTemporalDatabases(tools, options.postgres, dbs);

  const configDir = path.join(options.dir, 'config');
  mkdirSync(configDir, { recursive: true });
  const ports = await chooseServerPorts(options.port);
  const dynamicConfigPath = path.join(configDir, 'dynamicconfig.yaml');
  writeFileSync(dynamicConfigPath, DYNAMIC_CONFIG);
  writeFileSync(
    path.join(configDir, 'dieu-hanh.yaml'),
    renderServerConfig(readFileSync(tools.configTemplate, 'utf8'), options.postgres, dbs, ports, dynamicConfigPath),
  );
  const address = `127.0.0.1:${ports.frontend}`;
  const logFile = path.join(options.dir, 'temporal-server.log');
  let child: ChildProcess | undefined;
  let log: WriteStream | undefined;
  let exited: Promise<void> = Promise.resolve();
  const killOnExit = () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const launch = async () => {
    log = createWriteStream(logFile, { flags: 'a' });
    child = spawn(tools.server, ['--root', options.dir, '--config', 'config', '--env', 'dieu-hanh', '--allow-no-auth', 'start'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const current = child;
    const sink = log;
    const collect = (chunk: Buffer) => {
      sink.write(chunk);
      options.log?.(chunk.toString());
    };
    current.stdout?.on('data', collect);
    current.stderr?.on('data', collect);
    exited = new Promise((resolve) => current.once('exit', () => resolve()));
    await waitForFrontend(address, current, logFile);
  };

  const handle: TemporalServer = {
    address,
    namespace: options.namespace,
    ports,
    logFile,
    get process() {
      return child;
    },
    async stop() {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child?.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      log?.end();
    },
    start: launch,
  };

  await launch();
  const created = await registerNamespace(address, options.namespace, options.retention ?? '72h');
  if (created) {
    // Every service caches search attributes for a minute; a restart makes the new ones known
    // to all of them now, instead of failing workflow tasks that set them until the cache expires.
    await handle.stop();
    await launch();
  }
  await waitForNamespace(address, options.namespace);
  return handle;
}

async function waitForFrontend(address: string, child: ChildProcess, logFile: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`temporal-server exited (${child.exitCode ?? child.signalCode}); see ${logFile}:\n${tail(logFile)}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.withDeadline(Date.now() + 3000, () => connection.workflowService.getSystemInfo({}));
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`Temporal Server did not answer on ${address} in ${timeoutMs / 1000}s: ${String(last)}\n${tail(logFile)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function waitForNamespace(address: string, namespace: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const connection = await Connection.connect({ address });
  try {
    for (;;) {
      try {
        const sa = await connection.withDeadline(Date.now() + 5_000, () => connection.operatorService.listSearchAttributes({ namespace }));
        const missing = Object.keys(SEARCH_ATTRIBUTES_FOR_CLI).filter((name) => !(name in (sa.customAttributes ?? {})));
        if (missing.length === 0) return;
        if (Date.now() > deadline) throw new Error(`search attributes ${missing.join(', ')} are not registered on ${namespace}`);
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await connection.close();
  }
}

/**
 * `temporal operator namespace create` and `search-attribute create` (the same commands the
 * temporal-namespace job of docker-compose.yml runs). Returns whether anything was created.
 */
async function registerNamespace(address: string, namespace: string, retention: string): Promise<boolean> {
  const cli = temporalBinary();
  const temporal = (...args: string[]) => run(cli, [...args, '--address', address], { maxBuffer: 4 * 1024 * 1024 });
  let created = false;
  const retry = async (what: string, fn: () => Promise<unknown>) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };
  await retry('namespace create', async () => {
    try {
      await temporal('operator', 'namespace', 'describe', '--namespace', namespace);
    } catch {
      await temporal('operator', 'namespace', 'create', '--namespace', namespace, '--retention', retention);
      created = true;
    }
  });
  const existing = await retry('search-attribute list', () => temporal('operator', 'search-attribute', 'list', '--namespace', namespace, '--output', 'json'));
  const listed = (existing as { stdout: string }).stdout;
  const missing = Object.entries(SEARCH_ATTRIBUTES_FOR_CLI).filter(([name]) => !listed.includes(`"${name}"`));
  if (missing.length) {
    // Retried: a namespace just created takes a moment to reach every service.
    await retry('search-attribute create', () =>
      temporal('operator', 'search-attribute', 'create', '--namespace', namespace, ...missing.flatMap(([name, type]) => ['--name', name, '--type', type])),
    );
    created = true;
  }
  return created;
}

function tail(file: string, chars = 4000): string {
  try {
    return readFileSync(file, 'utf8').slice(-chars);
  } catch {
    return '(no log)';
  }
}
