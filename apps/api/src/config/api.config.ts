import { z } from 'zod';
import { loadConfig, sharedEnvSchema } from '@dieu-hanh/persistence';

export const apiEnvSchema = sharedEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Secret for session cookies and bearer tokens; at least 32 characters. */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').default('dev-only-secret-change-me-0123456789abcdef'),
  /** Base URL people reach the web UI at, used in links inside notices. */
  PUBLIC_URL: z.string().url().default('http://localhost:3000'),
  /** Where the Temporal web UI lives, shown to Standing Office staff. */
  TEMPORAL_UI_URL: z.string().url().default('http://localhost:8233'),
}).refine((env) => env.NODE_ENV !== 'production' || !env.SESSION_SECRET.startsWith('dev-only'), {
  path: ['SESSION_SECRET'],
  message: 'must be set to a real secret in production',
});

export type ApiConfig = z.infer<typeof apiEnvSchema>;
export const loadApiConfig = (env: NodeJS.ProcessEnv = process.env): ApiConfig => loadConfig(apiEnvSchema, env);
