/**
 * `npm run temporal:server`: Temporal Server on a PostgreSQL you name, the production topology
 * outside containers. Builds and caches the server (first time only), creates and migrates its
 * two databases, registers the namespace and our search attributes, and runs until Ctrl-C.
 *
 *   TEMPORAL_PG_URL=postgres://postgres@127.0.0.1:5432/postgres TEMPORAL_PORT=7233 npm run temporal:server
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startTemporalServer } from './temporal-server';

async function main(): Promise<void> {
  const pg = new URL(process.env.TEMPORAL_PG_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const dir = path.resolve(process.env.TEMPORAL_SERVER_DIR ?? '.data/temporal-server');
  mkdirSync(dir, { recursive: true });
  const server = await startTemporalServer({
    dir,
    postgres: { host: pg.hostname, port: Number(pg.port || 5432), user: decodeURIComponent(pg.username || 'postgres'), password: pg.password ? decodeURIComponent(pg.password) : undefined },
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'dieu-hanh',
    port: process.env.TEMPORAL_PORT ? Number(process.env.TEMPORAL_PORT) : 7233,
    retention: process.env.TEMPORAL_NAMESPACE_RETENTION ?? '720h',
  });
  process.stdout.write(`Temporal Server ${server.address} (namespace ${server.namespace}) on PostgreSQL ${pg.hostname}:${pg.port || 5432}; log ${server.logFile}\n`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`temporal-server failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
