import { z } from 'zod';
import { ConfigError, loadConfig, sharedEnvSchema } from '@dieu-hanh/persistence';
import { FILE_STORE_DIR_NEEDED, S3_BUCKET_NEEDED, fileStoreEnv } from '@dieu-hanh/persistence/files';

const DEV_SECRET = 'dev-only-secret-change-me-0123456789abcdef';

export const apiEnvSchema = sharedEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Address to listen on. Loopback by default: a dev API with demo accounts is not for the network. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Which proxies' X-Forwarded-For / X-Forwarded-Proto to believe (Express 'trust proxy'):
   * `false` (default: none, req.ip is the socket's address), `loopback`, a hop count, or
   * comma-separated addresses/CIDRs. Login throttling keys on the address this yields.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx) => {
      const value = v.trim();
      if (value === 'false' || value === '') return false as const;
      if (/^\d+$/.test(value)) return Number(value);
      if (/^[\w.:/,\s-]+$/.test(value)) return value;
      ctx.addIssue({ code: 'custom', message: 'must be false, a hop count, loopback, or proxy addresses' });
      return z.NEVER;
    }),
  /**
   * `Secure` on the session and CSRF cookies: `auto` (default) sets it when the request came
   * over https (as the trusted proxy says) and always in production; `true` always; `false`
   * never (plain-http development only).
   */
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  /** Secret for session cookies and bearer tokens; at least 32 characters. */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_SECRET),
  /** Base URL people reach the web UI at, used in links inside notices. */
  PUBLIC_URL: z.string().url().default('http://localhost:3000'),
  /** Where the Temporal web UI lives, shown to Standing Office staff. */
  TEMPORAL_UI_URL: z.string().url().default('http://localhost:8233'),
  /** Outbound webhooks: seconds between looks at the event log; delivery retries (first and longest pause, attempts). */
  WEBHOOK_POLL_SECONDS: z.coerce.number().min(0.1).max(3600).default(5),
  WEBHOOK_RETRY_INITIAL_SECONDS: z.coerce.number().min(0.1).max(3600).default(5),
  WEBHOOK_RETRY_MAX_SECONDS: z.coerce.number().min(0.1).max(86_400).default(600),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(25),
  ...fileStoreEnv,
}).refine((env) => env.FILE_STORE !== 'fs' || env.FILE_STORE_DIR !== undefined, FILE_STORE_DIR_NEEDED)
  .refine((env) => env.FILE_STORE !== 's3' || env.S3_BUCKET !== undefined, S3_BUCKET_NEEDED)
  .refine((env) => env.NODE_ENV !== 'production' || env.SESSION_SECRET !== DEV_SECRET, {
  path: ['SESSION_SECRET'],
  message: 'must be set to a real secret in production',
});

export type ApiConfig = z.infer<typeof apiEnvSchema>;

/**
 * Parses the API's environment. The built-in dev secret is accepted only when NODE_ENV says
 * development or test explicitly: a deployment that forgot both NODE_ENV and SESSION_SECRET
 * must not sign sessions with a secret printed in this file.
 */
export const loadApiConfig = (env: NodeJS.ProcessEnv = process.env): ApiConfig => {
  const config = loadConfig(apiEnvSchema, env);
  if (env.SESSION_SECRET === undefined && env.NODE_ENV !== 'development' && env.NODE_ENV !== 'test') {
    throw new ConfigError(['SESSION_SECRET: is required unless NODE_ENV=development or NODE_ENV=test is set explicitly']);
  }
  return config;
};

/** Whether a cookie set in answer to this request gets `Secure`. */
export const cookieSecure = (config: Pick<ApiConfig, 'COOKIE_SECURE' | 'NODE_ENV'>, requestIsHttps: boolean): boolean =>
  config.COOKIE_SECURE === 'true' || (config.COOKIE_SECURE === 'auto' && (requestIsHttps || config.NODE_ENV === 'production'));
