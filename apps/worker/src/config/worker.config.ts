import { z } from 'zod';
import { loadConfig, sharedEnvSchema } from '@dieu-hanh/persistence';

export const workerEnvSchema = sharedEnvSchema.extend({
  /** smtp://user:pass@host:port for e-mail notices; empty keeps notices in-app only. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('Điều hành <dieu-hanh@localhost>'),
  PUBLIC_URL: z.string().url().default('http://localhost:3000'),
});

export type WorkerConfig = z.infer<typeof workerEnvSchema>;
export const loadWorkerConfig = (env: NodeJS.ProcessEnv = process.env): WorkerConfig => loadConfig(workerEnvSchema, env);
