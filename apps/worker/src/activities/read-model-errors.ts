import { ApplicationFailure } from '@temporalio/common';
import { SIDE_EFFECT_ERRORS } from '@dieu-hanh/workflows';

/**
 * SQLSTATE classes where PostgreSQL refused the data or the statement itself:
 * 22 data exception (22021 invalid byte sequence, 22P05 untranslatable character,
 * 22001 string too long, 22008 bad date…), 23 integrity constraint, 42 syntax or
 * undefined object. The same call will fail the same way however often it is retried.
 */
const PERMANENT_CLASSES = new Set(['22', '23', '42']);

/** The SQLSTATE of a pg error, also when TypeORM wrapped it in a QueryFailedError. */
export function sqlStateOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * An activity's error as Temporal should see it: bad data is non-retryable with a code
 * (the workflow records it and moves on), anything else (connection refused, server
 * shutting down, timeouts) is retryable, within the workflow's retry ceiling.
 */
export function classifyReadModelError(err: unknown, what: string): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const state = sqlStateOf(err);
  const message = `${what}: ${err instanceof Error ? err.message : String(err)}${state ? ` (SQLSTATE ${state})` : ''}`;
  if (state && PERMANENT_CLASSES.has(state.slice(0, 2))) {
    return ApplicationFailure.create({ type: SIDE_EFFECT_ERRORS.BAD_DATA, message, nonRetryable: true, details: [state] });
  }
  return ApplicationFailure.create({ type: SIDE_EFFECT_ERRORS.UNAVAILABLE, message, nonRetryable: false, details: state ? [state] : [] });
}

/** Runs `work`, turning its failure into a classified ApplicationFailure. */
export async function classified<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw classifyReadModelError(err, what);
  }
}

/**
 * Text PostgreSQL can store. The API refuses NUL and lone surrogates at the edge; this
 * is the second line, for anything that slipped past (or came through Temporal
 * directly): NUL (which text and jsonb both refuse) and unpaired UTF-16 surrogates
 * (not encodable in UTF-8) become U+FFFD, so the rest of the text is kept and visible.
 */
export function storable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** JSON for a jsonb column, with every string made storable. */
export function storableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? storable(v) : v));
}

/** Query parameters with every string made storable (arrays of strings too). */
export function storableParams(params: unknown[]): unknown[] {
  return params.map((p) => (typeof p === 'string' ? storable(p) : Array.isArray(p) ? p.map((x) => (typeof x === 'string' ? storable(x) : x)) : p));
}
