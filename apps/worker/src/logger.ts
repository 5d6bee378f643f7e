import pino from 'pino';

/** Structured JSON logs (pino: fast, maintained, the same the API uses through nestjs-pino). */
export const createLogger = (service: string, level: string) => pino({ name: service, level });
