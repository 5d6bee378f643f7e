import { ConfigError } from '@dieu-hanh/persistence';
import { loadApiConfig } from './config/api.config';
import { createApp } from './app';

async function main(): Promise<void> {
  const config = loadApiConfig();
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError ? err.message : `api failed to start: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`${JSON.stringify({ level: 'error', msg: message })}\n`);
  process.exit(1);
});
