import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { z } from 'zod';
import { sharedEnvSchema } from '@dieu-hanh/persistence';
import { apiEnvSchema } from '../apps/api/src/config/api.config';
import { workerEnvSchema } from '../apps/worker/src/config/worker.config';
import { SEARCH_ATTRIBUTES_FOR_CLI } from '../libs/workflows/src/search-attributes';

/**
 * Docker cannot run where the tests run, so this checks the stack's wiring statically: that
 * docker-compose.yml, the Dockerfiles and the apps' config schemas agree with each other.
 */

const ROOT = join(__dirname, '..');
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');

/** What an operator exports before `docker compose up`. */
const HOST_ENV: Record<string, string> = {
  SESSION_SECRET: 'test-only-session-secret-0123456789abcdef',
  POSTGRES_PASSWORD: 'test-only-postgres-password',
  MINIO_ROOT_PASSWORD: 'test-only-minio-password',
};

interface Healthcheck { test?: string | string[]; disable?: boolean }
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { target: number; published?: string | number; host_ip?: string })[];
  volumes?: (string | { type?: string; source?: string; target: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: Healthcheck;
  restart?: string;
}
interface ComposeFile { services: Record<string, Service>; volumes?: Record<string, unknown> }

type EnvSchema = z.ZodObject<Record<string, z.ZodType>>;

/**
 * Compose variable substitution (https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/):
 * $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}.
 */
function interpolate(value: string, env: Record<string, string | undefined>): string {
  const pattern = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  return value.replace(pattern, (match, name?: string, op?: string, arg?: string, bare?: string) => {
    if (match === '$$') return '$';
    if (bare) return env[bare] ?? '';
    const current = env[name!];
    switch (op) {
      case undefined:
        return current ?? '';
      case ':-':
        return current ? current : arg!;
      case '-':
        return current ?? arg!;
      case ':?':
      case '?':
        if (current === undefined || (op === ':?' && current === '')) throw new Error(`${name}: ${arg}`);
        return current;
      default:
        throw new Error(`unsupported substitution ${match}`);
    }
  });
}

function interpolateDeep<T>(node: T, env: Record<string, string | undefined>): T {
  if (typeof node === 'string') return interpolate(node, env) as T;
  if (Array.isArray(node)) return node.map((item) => interpolateDeep(item, env)) as T;
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateDeep(v, env)])) as T;
  }
  return node;
}

function loadCompose(env: Record<string, string | undefined>): ComposeFile {
  // merge: compose honours YAML merge keys (`<<: *shared-env`).
  const raw = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as ComposeFile;
  return interpolateDeep(raw, env);
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => {
      const eq = entry.indexOf('=');
      return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function dependenciesOf(service: Service): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d.condition ?? 'service_started']));
}

function publishedPorts(service: Service): { published: number; target: number }[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') return { published: Number(port.published ?? port.target), target: Number(port.target) };
    // [host_ip:]published:target[/protocol]; a bare number publishes the same port.
    const parts = String(port).split('/')[0]!.split(':');
    const target = Number(parts.at(-1));
    const published = parts.length >= 2 ? Number(parts.at(-2)) : target;
    return { published, target };
  });
}

function namedVolumesOf(service: Service): string[] {
  return (service.volumes ?? []).flatMap((volume) => {
    if (typeof volume === 'object') return volume.type === 'volume' && volume.source ? [volume.source] : [];
    const parts = volume.split(':');
    if (parts.length < 2) return []; // anonymous volume
    const source = parts[0]!;
    return /^[./~]/.test(source) ? [] : [source];
  });
}

function commandText(service: Service): string {
  const command = service.command ?? '';
  return (Array.isArray(command) ? command.join(' ') : command).replace(/\\\n/g, ' ');
}

function healthcheckText(service: Service): string {
  const test = service.healthcheck?.test ?? [];
  return Array.isArray(test) ? test.join(' ') : test;
}

/** Value of `--flag X` on the line of the script that runs `subcommand`; `$VAR` resolves in `env`. */
function flagOf(script: string, subcommand: string, flag: string, env: Record<string, string>): string | undefined {
  const line = script.split('\n').find((l) => l.includes(subcommand));
  const match = line?.match(new RegExp(`${flag}[ =]"?\\$?\\{?([A-Za-z0-9_.-]+)\\}?"?`));
  if (!match) return undefined;
  const isVariable = new RegExp(`${flag}[ =]"?\\$`).test(line!);
  return isVariable ? env[match[1]!] : match[1];
}

function keysOf(schema: EnvSchema): string[] {
  return Object.keys(schema.shape);
}

/** Keys the schema cannot do without: no default and not optional. */
function requiredKeysOf(schema: EnvSchema): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([key]) => key);
}

function workspaceDirs(): string[] {
  const { workspaces } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
  return workspaces.flatMap((pattern) => {
    const parent = pattern.replace(/\/\*$/, '');
    return readdirSync(join(ROOT, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(ROOT, parent, entry.name, 'package.json')))
      .map((entry) => `${parent}/${entry.name}`);
  });
}

const compose = loadCompose(HOST_ENV);
const services = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
};

const APPS = [
  { name: 'api', schema: apiEnvSchema as unknown as EnvSchema, main: 'apps/api/src/main.ts' },
  { name: 'worker', schema: workerEnvSchema as unknown as EnvSchema, main: 'apps/worker/src/main.ts' },
] as const;

const ONE_SHOT_JOBS = ['temporal-schema', 'temporal-namespace', 'migrate', 'minio-bucket'];
const LONG_RUNNING = ['postgres', 'temporal', 'temporal-ui', 'api', 'worker', 'mailpit', 'minio'];

describe('docker-compose.yml', () => {
  it('declares every service of the stack', () => {
    expect(Object.keys(services).sort()).toEqual([...ONE_SHOT_JOBS, ...LONG_RUNNING].sort());
  });

  it('uses the official images, each pinned to a version', () => {
    expect(service('postgres').image).toMatch(/^postgres:16(\.|-|$)/);
    expect(service('temporal').image).toMatch(/^temporalio\/(server|auto-setup):\d+\.\d+\.\d+$/);
    expect(service('temporal-namespace').image).toMatch(/^temporalio\/admin-tools:\d+\.\d+\.\d+/);
    expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(service('mailpit').image).toMatch(/^axllent\/mailpit:v\d+\.\d+/);
    for (const [name, svc] of Object.entries(services)) {
      if (svc.build) continue;
      expect(svc.image, `${name} image`).toMatch(/^[^:@]+(:[^:]+|@sha256:[0-9a-f]{64})$/);
      expect(svc.image, `${name} image`).not.toMatch(/:latest$/);
    }
  });

  it('keeps the Temporal server and its admin tools on the same release', () => {
    const serverVersion = service('temporal').image!.split(':')[1];
    for (const job of ['temporal-schema', 'temporal-namespace']) {
      expect(service(job).image, job).toMatch(new RegExp(`^temporalio/admin-tools:${serverVersion}(-|$)`));
    }
  });

  it('gives api, worker, postgres, temporal and mailpit a health check', () => {
    for (const name of ['api', 'worker', 'postgres', 'temporal', 'mailpit']) {
      const hc = service(name).healthcheck;
      expect(hc?.disable, name).not.toBe(true);
      expect(healthcheckText(service(name)), name).toMatch(/^(CMD|CMD-SHELL) \S/);
    }
  });

  it('checks the api at GET /health on the port it listens on', () => {
    const url = healthcheckText(service('api')).match(/https?:\/\/[^'"\s)]+/)?.[0];
    expect(url).toBeDefined();
    const port = apiEnvSchema.parse(environmentOf(service('api'))).PORT;
    expect(new URL(url!).port).toBe(String(port));
    expect(new URL(url!).pathname).toBe('/health');
  });

  it('publishes api on 3000, Temporal on 7233 and its UI on 8080', () => {
    expect(publishedPorts(service('api'))).toContainEqual({ published: 3000, target: 3000 });
    expect(publishedPorts(service('temporal'))).toContainEqual({ published: 7233, target: 7233 });
    expect(publishedPorts(service('temporal-ui'))).toContainEqual({ published: 8080, target: 8080 });
  });

  it('restarts long-running services and never restarts one-shot jobs', () => {
    for (const name of LONG_RUNNING) expect(service(name).restart, name).toMatch(/^(unless-stopped|always)$/);
    for (const name of ONE_SHOT_JOBS) expect(service(name).restart ?? 'no', name).toBe('no');
  });

  describe('depends_on', () => {
    it('names existing services with a valid condition', () => {
      for (const [name, svc] of Object.entries(services)) {
        for (const [target, condition] of Object.entries(dependenciesOf(svc))) {
          expect(Object.keys(services), `${name} -> ${target}`).toContain(target);
          expect(['service_started', 'service_healthy', 'service_completed_successfully'], `${name} -> ${target}`).toContain(condition);
        }
      }
    });

    it('waits for health only on services that have a health check, and for completion only on one-shot jobs', () => {
      for (const [name, svc] of Object.entries(services)) {
        for (const [target, condition] of Object.entries(dependenciesOf(svc))) {
          if (condition === 'service_healthy') expect(services[target]?.healthcheck, `${name} -> ${target}`).toBeDefined();
          if (condition === 'service_completed_successfully') expect(ONE_SHOT_JOBS, `${name} -> ${target}`).toContain(target);
        }
      }
    });

    it('has no cycle', () => {
      const state = new Map<string, 'visiting' | 'done'>();
      const visit = (name: string, path: string[]): void => {
        if (state.get(name) === 'done') return;
        if (state.get(name) === 'visiting') throw new Error(`dependency cycle: ${[...path, name].join(' -> ')}`);
        state.set(name, 'visiting');
        for (const target of Object.keys(dependenciesOf(services[name] ?? {}))) visit(target, [...path, name]);
        state.set(name, 'done');
      };
      for (const name of Object.keys(services)) visit(name, []);
    });

    it('orders start-up: schema before Temporal, namespace and migrations before the apps', () => {
      expect(dependenciesOf(service('temporal'))).toMatchObject({ 'temporal-schema': 'service_completed_successfully' });
      expect(dependenciesOf(service('temporal-schema'))).toMatchObject({ postgres: 'service_healthy' });
      expect(dependenciesOf(service('temporal-namespace'))).toMatchObject({ temporal: 'service_healthy' });
      expect(dependenciesOf(service('migrate'))).toMatchObject({ postgres: 'service_healthy' });
      for (const app of ['api', 'worker']) {
        expect(dependenciesOf(service(app)), app).toMatchObject({
          migrate: 'service_completed_successfully',
          'temporal-namespace': 'service_completed_successfully',
        });
      }
    });
  });

  describe.each(APPS)('$name environment', ({ name, schema }) => {
    const env = () => environmentOf(service(name));

    it('sets only keys its config schema accepts', () => {
      const unknown = Object.keys(env()).filter((key) => !keysOf(schema).includes(key));
      expect(unknown).toEqual([]);
    });

    it('sets every key the schema requires', () => {
      expect(requiredKeysOf(schema).length).toBeGreaterThan(0);
      const missing = requiredKeysOf(schema).filter((key) => !(key in env()));
      expect(missing).toEqual([]);
    });

    it('passes the schema, in production mode', () => {
      const result = schema.safeParse(env());
      expect(result.error?.issues ?? []).toEqual([]);
      expect(result.data).toMatchObject({ NODE_ENV: 'production' });
    });

    it('reaches PostgreSQL as the compose postgres service, with its user, password and database', () => {
      const pg = environmentOf(service('postgres'));
      const url = new URL(env().DATABASE_URL!);
      expect(service(url.hostname).image).toMatch(/^postgres:/);
      expect(url.port || '5432').toBe('5432');
      expect(decodeURIComponent(url.username)).toBe(pg.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(pg.POSTGRES_PASSWORD);
      expect(url.pathname).toBe(`/${pg.POSTGRES_DB ?? pg.POSTGRES_USER}`);
    });

    it('reaches Temporal at the temporal service, port 7233', () => {
      const { TEMPORAL_ADDRESS } = schema.parse(env()) as { TEMPORAL_ADDRESS: string };
      const [host, port] = TEMPORAL_ADDRESS.split(':');
      expect(service(host!).image).toMatch(/^temporalio\/(server|auto-setup):/);
      expect(port).toBe('7233');
    });

    it('uses the namespace that temporal-namespace creates, on the same server', () => {
      const { TEMPORAL_NAMESPACE, TEMPORAL_ADDRESS } = schema.parse(env()) as { TEMPORAL_NAMESPACE: string; TEMPORAL_ADDRESS: string };
      const job = service('temporal-namespace');
      const jobEnv = environmentOf(job);
      expect(flagOf(commandText(job), 'namespace create', '--namespace', jobEnv)).toBe(TEMPORAL_NAMESPACE);
      expect(flagOf(commandText(job), 'search-attribute create', '--namespace', jobEnv)).toBe(TEMPORAL_NAMESPACE);
      expect(jobEnv.TEMPORAL_ADDRESS).toBe(TEMPORAL_ADDRESS);
    });
  });

  it('requires SESSION_SECRET from the host instead of falling back to a default', () => {
    expect(() => loadCompose({ ...HOST_ENV, SESSION_SECRET: undefined })).toThrow(/SESSION_SECRET/);
    expect(environmentOf(service('api')).SESSION_SECRET).toBe(HOST_ENV.SESSION_SECRET);
  });

  it('stores uploaded files in the MinIO bucket that minio-bucket creates, with MinIO\'s credentials', () => {
    const api = apiEnvSchema.parse(environmentOf(service('api')));
    expect(api.FILE_STORE).toBe('s3');
    const endpoint = new URL(api.S3_ENDPOINT!);
    expect(service(endpoint.hostname).image).toMatch(/^minio\/minio:RELEASE\./);
    expect(endpoint.port).toBe('9000');
    expect(api.S3_FORCE_PATH_STYLE).toBe(true);
    const minio = environmentOf(service('minio'));
    expect(api.S3_ACCESS_KEY_ID).toBe(minio.MINIO_ROOT_USER);
    expect(api.S3_SECRET_ACCESS_KEY).toBe(minio.MINIO_ROOT_PASSWORD);
    expect(commandText(service('minio-bucket'))).toContain(`mb --ignore-existing store/${api.S3_BUCKET}`);
    expect(dependenciesOf(service('api'))).toMatchObject({ 'minio-bucket': 'service_completed_successfully' });
    expect(() => loadCompose({ ...HOST_ENV, MINIO_ROOT_PASSWORD: undefined })).toThrow(/MINIO_ROOT_PASSWORD/);
  });

  it('gives the worker (which sweeps uploads never submitted) the same file store as the api', () => {
    const keys = ['FILE_STORE', 'S3_ENDPOINT', 'S3_REGION', 'S3_BUCKET', 'S3_FORCE_PATH_STYLE', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'];
    const api = environmentOf(service('api'));
    const worker = environmentOf(service('worker'));
    for (const key of keys) expect([key, worker[key]]).toEqual([key, api[key]]);
  });

  it('sends the worker e-mail to the mailpit SMTP port', () => {
    const smtp = new URL(environmentOf(service('worker')).SMTP_URL!);
    expect(smtp.protocol).toBe('smtp:');
    expect(service(smtp.hostname).image).toMatch(/^axllent\/mailpit:/);
    expect(smtp.port).toBe('1025');
  });

  it('links notices (worker) and pages (api) to the same public URL', () => {
    expect(environmentOf(service('worker')).PUBLIC_URL).toBe(environmentOf(service('api')).PUBLIC_URL);
  });

  it('points the api at the Temporal UI the stack publishes', () => {
    const uiUrl = new URL(apiEnvSchema.parse(environmentOf(service('api'))).TEMPORAL_UI_URL);
    const uiPort = publishedPorts(service('temporal-ui'))[0]!.published;
    expect(uiUrl.port).toBe(String(uiPort));
  });

  it('runs migrations from the api image with the shared environment', () => {
    const migrate = service('migrate');
    expect(migrate.build).toEqual(service('api').build);
    const script = commandText(migrate).match(/npm run (\S+)/)?.[1];
    expect(script).toBe('migration:run');
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts[script!]).toMatch(/migration:run/);
    const env = environmentOf(migrate);
    expect(Object.keys(env).filter((key) => !keysOf(sharedEnvSchema as unknown as EnvSchema).includes(key))).toEqual([]);
    expect(env.DATABASE_URL).toBe(environmentOf(service('api')).DATABASE_URL);
  });

  it('stores Temporal in the compose PostgreSQL, in the databases the schema job prepares', () => {
    const pg = environmentOf(service('postgres'));
    const temporal = environmentOf(service('temporal'));
    expect(temporal.DB).toBe('postgres12');
    expect(service(temporal.POSTGRES_SEEDS!).image).toMatch(/^postgres:/);
    expect(temporal.POSTGRES_USER).toBe(pg.POSTGRES_USER);
    expect(temporal.POSTGRES_PWD).toBe(pg.POSTGRES_PASSWORD);

    const schemaJob = service('temporal-schema');
    const jobEnv = environmentOf(schemaJob);
    expect(jobEnv.SQL_USER).toBe(pg.POSTGRES_USER);
    expect(jobEnv.SQL_PASSWORD).toBe(pg.POSTGRES_PASSWORD);
    const script = commandText(schemaJob);
    for (const db of [temporal.DBNAME ?? 'temporal', temporal.VISIBILITY_DBNAME ?? 'temporal_visibility']) {
      expect(script, db).toMatch(new RegExp(`--db ${db} create\\b`));
      expect(script, db).toMatch(new RegExp(`--db ${db} update-schema -d /etc/temporal/schema/postgresql/v12/`));
    }
  });

  it('registers exactly the search attributes the workflows use', () => {
    const script = commandText(service('temporal-namespace'));
    const createLine = script.split('\n').find((line) => line.includes('search-attribute create')) ?? '';
    const registered = Object.fromEntries(
      [...createLine.matchAll(/--name\s+"?([A-Za-z0-9_]+)"?\s+--type\s+"?([A-Za-z]+)"?/g)].map((m) => [m[1], m[2]]),
    );
    expect(registered).toEqual(SEARCH_ATTRIBUTES_FOR_CLI);
  });

  it('opens the Temporal UI on the application namespace', () => {
    const ui = environmentOf(service('temporal-ui'));
    expect(ui.TEMPORAL_ADDRESS).toBe(environmentOf(service('api')).TEMPORAL_ADDRESS);
    expect(ui.TEMPORAL_DEFAULT_NAMESPACE).toBe(environmentOf(service('api')).TEMPORAL_NAMESPACE);
  });

  it('declares every named volume it mounts, and mounts every one it declares', () => {
    const used = new Set(Object.values(services).flatMap(namedVolumesOf));
    const declared = new Set(Object.keys(compose.volumes ?? {}));
    expect([...used].filter((v) => !declared.has(v))).toEqual([]);
    expect([...declared].filter((v) => !used.has(v))).toEqual([]);
  });

  it('keeps PostgreSQL data in a named volume at the image PGDATA', () => {
    const mount = (service('postgres').volumes ?? []).find((v) => typeof v === 'string' && v.endsWith(':/var/lib/postgresql/data'));
    expect(mount).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(String(mount).split(':')[0]);
  });
});

describe.each(APPS)('$name Dockerfile', ({ name, main }) => {
  const build = () => {
    const b = service(name).build;
    const spec = typeof b === 'string' ? { context: b } : b ?? {};
    return { context: spec.context ?? '.', dockerfile: spec.dockerfile ?? 'Dockerfile' };
  };
  const dockerfilePath = () => join(ROOT, build().context, build().dockerfile);
  const dockerfile = () => readFileSync(dockerfilePath(), 'utf8');
  const instructions = () => dockerfile().split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

  it('is built from the repository root with a Dockerfile that exists', () => {
    expect(join(ROOT, build().context)).toBe(ROOT);
    expect(existsSync(dockerfilePath()), dockerfilePath()).toBe(true);
  });

  it('uses a Node 22 base in every stage', () => {
    const froms = instructions().filter((l) => /^FROM\s/i.test(l));
    expect(froms.length).toBeGreaterThanOrEqual(2); // multi-stage
    const stages = new Set(froms.map((l) => l.match(/\sAS\s+(\S+)/i)?.[1]).filter(Boolean));
    for (const from of froms) {
      const image = from.split(/\s+/).find((word, i) => i > 0 && !word.startsWith('--'))!;
      if (stages.has(image)) continue;
      expect(image).toMatch(/^node:22(-|$)/);
    }
  });

  it('installs with npm ci after copying only the manifests of the whole workspace', () => {
    const lines = instructions();
    const npmCi = lines.findIndex((l) => /^RUN\b.*\bnpm ci\b/.test(l));
    expect(npmCi).toBeGreaterThan(0);
    const before = lines.slice(0, npmCi);
    expect(before.some((l) => /^COPY\b.*\bpackage-lock\.json\b/.test(l))).toBe(true);
    for (const dir of workspaceDirs()) {
      expect(before.some((l) => new RegExp(`^COPY\\s+${dir}/package\\.json\\s`).test(l)), dir).toBe(true);
    }
    // Sources come after the install, or every code change would re-run npm ci.
    expect(before.some((l) => /^COPY\s+(\.|apps|libs)\s/.test(l))).toBe(false);
  });

  it('runs as the unprivileged node user', () => {
    const users = instructions().filter((l) => /^USER\s/i.test(l));
    expect(users.at(-1)).toMatch(/^USER\s+node$/);
  });

  it('starts the app through the SWC loader, on a source file that exists', () => {
    const cmd = instructions().filter((l) => /^CMD\s/.test(l)).at(-1)!;
    expect(JSON.parse(cmd.replace(/^CMD\s+/, ''))).toEqual(['node', '-r', './scripts/register.js', main]);
    expect(existsSync(join(ROOT, 'scripts/register.js'))).toBe(true);
    expect(existsSync(join(ROOT, main)), main).toBe(true);
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, local data, caches and git history out of the build context', () => {
    const entries = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', '.data', '.nx', 'test-artifacts', '.git']) expect(entries, entry).toContain(entry);
  });
});
