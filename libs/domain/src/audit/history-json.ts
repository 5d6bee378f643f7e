/**
 * A workflow history in exactly the JSON shape `temporal workflow show --output json`
 * writes (protojson): int64 fields as strings, enums as their full names, payload
 * metadata values and data base64-encoded. Kept as plain JSON, never converted to
 * protobuf objects, so what we export is byte-for-byte what the CLI and the SDK read.
 */

export interface JsonPayload {
  /** Keys to base64 values, e.g. { encoding: base64('json/plain') }. */
  metadata?: Record<string, string>;
  data?: string;
}

export interface JsonPayloads {
  payloads?: JsonPayload[];
}

export interface HistoryEventJson {
  eventId: string;
  eventTime: string;
  eventType: string;
  taskId?: string;
  /** Exactly one `<camelCaseType>EventAttributes` field, plus a few optional protojson fields. */
  [field: string]: unknown;
}

export interface HistoryJson {
  events: HistoryEventJson[];
}

/** One run of a workflow; continue-as-new runs form a chain, oldest first. */
export interface HistoryRun {
  runId: string;
  history: HistoryJson;
}

export const EVENT_TYPE_PREFIX = 'EVENT_TYPE_';

/** `EVENT_TYPE_ACTIVITY_TASK_SCHEDULED` -> `activityTaskScheduled`. */
export function eventTypeName(event: Pick<HistoryEventJson, 'eventType'>): string {
  const words = event.eventType.replace(EVENT_TYPE_PREFIX, '').toLowerCase().split('_');
  return words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

/** The event's `<type>EventAttributes` object (empty when absent). */
export function attributesOf<T = Record<string, unknown>>(event: HistoryEventJson): T {
  return (event[`${eventTypeName(event)}EventAttributes`] ?? {}) as T;
}

export const eventIdOf = (event: HistoryEventJson): number => Number(event.eventId);

function base64ToUtf8(value: string): string {
  const binary = atob(value);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}

/**
 * The value a payload carries, decoded with the default data converter's encodings:
 * json/plain -> the parsed JSON, binary/null -> undefined, anything else (encrypted,
 * protobuf) -> undefined, since we cannot read it and must not pretend to.
 */
export function decodePayload(payload: JsonPayload | undefined): unknown {
  if (!payload?.metadata?.encoding) return undefined;
  const encoding = base64ToUtf8(payload.metadata.encoding);
  if (encoding !== 'json/plain') return undefined;
  return payload.data === undefined ? undefined : JSON.parse(base64ToUtf8(payload.data));
}

/** All values of a `Payloads` field (an activity's arguments, a workflow's input). */
export const decodePayloads = (payloads: JsonPayloads | undefined): unknown[] => (payloads?.payloads ?? []).map(decodePayload);

/** Where a problem sits in a file someone hands us: `events[3].eventType`. */
export interface HistoryProblem {
  path: string;
  reason: string;
}

/**
 * Checks that `value` has the CLI's history shape (events with increasing numeric ids,
 * a known event type, a time, and a started event first). Returns the problems found.
 */
export function historyJsonProblems(value: unknown): HistoryProblem[] {
  const problems: HistoryProblem[] = [];
  if (typeof value !== 'object' || value === null || !Array.isArray((value as HistoryJson).events)) {
    return [{ path: 'events', reason: 'a history is an object with an "events" array (temporal workflow show --output json)' }];
  }
  const events = (value as HistoryJson).events;
  if (events.length === 0) return [{ path: 'events', reason: 'a history has at least one event' }];
  events.forEach((e, i) => {
    if (problems.length >= 10) return;
    if (typeof e !== 'object' || e === null) {
      problems.push({ path: `events[${i}]`, reason: 'must be an object' });
      return;
    }
    if (typeof e.eventId !== 'string' || !/^\d+$/.test(e.eventId) || Number(e.eventId) !== i + 1) {
      problems.push({ path: `events[${i}].eventId`, reason: `must be the string "${i + 1}"` });
    }
    if (typeof e.eventType !== 'string' || !/^EVENT_TYPE_[A-Z_]+$/.test(e.eventType)) {
      problems.push({ path: `events[${i}].eventType`, reason: 'must be an EVENT_TYPE_… name' });
    }
    if (typeof e.eventTime !== 'string' || Number.isNaN(Date.parse(e.eventTime))) {
      problems.push({ path: `events[${i}].eventTime`, reason: 'must be an RFC 3339 time' });
    }
  });
  if (problems.length === 0 && events[0].eventType !== 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED') {
    problems.push({ path: 'events[0].eventType', reason: 'a history starts with EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' });
  }
  return problems;
}

/** Whether `value` nests deeper than `max` (checked without recursion, so hostile input cannot overflow the stack). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push({ v: child, depth: depth + 1 });
  }
  return false;
}

/** Protojson histories nest about a dozen levels; anything far deeper is not one. */
export const HISTORY_MAX_DEPTH = 64;

export interface StartedInfo {
  workflowType: string;
  input: unknown[];
  /** The run this one continued from (continue-as-new), if any. */
  continuedExecutionRunId?: string;
  originalExecutionRunId?: string;
  firstExecutionRunId?: string;
  parentWorkflowId?: string;
}

export function startedInfo(history: HistoryJson): StartedInfo {
  const a = attributesOf<{
    workflowType?: { name?: string };
    input?: JsonPayloads;
    continuedExecutionRunId?: string;
    originalExecutionRunId?: string;
    firstExecutionRunId?: string;
    parentWorkflowExecution?: { workflowId?: string };
  }>(history.events[0]);
  return {
    workflowType: a.workflowType?.name ?? '',
    input: decodePayloads(a.input),
    continuedExecutionRunId: a.continuedExecutionRunId || undefined,
    originalExecutionRunId: a.originalExecutionRunId || undefined,
    firstExecutionRunId: a.firstExecutionRunId || undefined,
    parentWorkflowId: a.parentWorkflowExecution?.workflowId,
  };
}

/** The run id a history belongs to, as the server wrote it into the started event. */
export const runIdOf = (history: HistoryJson): string => startedInfo(history).originalExecutionRunId ?? '';

/**
 * Canonical JSON (keys sorted, no whitespace): the one byte sequence an archived history
 * is digested as, so the same history always gives the same digest.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
