import { z } from 'zod';
import { ErrorInfo, TaskStatus } from '@baton/contracts';
import { CorruptRecordError, CountText, IsoText, jsonText } from '../records/state-record';

/** One status a task passed through and when. */
export interface TaskHistoryEntry {
  /** Status entered. */
  status: TaskStatus;
  /** When it was entered (ISO 8601, UTC, clock of the service that made the change). */
  at: string;
}

/** The state of one task as kept in Redis. */
export interface TaskRecord {
  /** Task id (UUID minted by the submitter). */
  taskId: string;
  /** Tenant the task belongs to. */
  tenantId: string;
  /** Dotted task type. */
  taskType: string;
  /** Current status. */
  status: TaskStatus;
  /** Trace the task runs in; null when it was submitted outside any trace. */
  traceId: string | null;
  /** Span of that trace the task started from (the submission), when known. */
  rootSpanId?: string;
  /** Final or latest output, when one was stored. */
  result?: unknown;
  /** Why the task failed or was rejected, when stored. */
  error?: ErrorInfo;
  /** How many times the current step was dispatched. */
  attempts: number;
  /** Agent role working on the task, once routed. */
  role?: string;
  /** Model chosen for the task, once routed. */
  model?: string;
  /** When the record was created (ISO 8601). */
  createdAt: string;
  /** When the record last changed (ISO 8601). */
  updatedAt: string;
  /** Every status the task entered, oldest first, starting with `submitted`. */
  history: TaskHistoryEntry[];
  /** Id of the `task.submitted` event that created the task, when the creator stored it. */
  submittedEventId?: string;
  /**
   * Gateway submissions only: false while their `task.submitted` waits in the outbox (a
   * retry with the same idempotency key, or the gateway's sweep, publishes it), then true.
   */
  published?: boolean;
}

/**
 * Layout version of the task hash (KeySpace.task). Not stored: see records/state-record.ts.
 * Fixtures: libs/state/fixtures/task@1*.json.
 */
export const TASK_RECORD_VERSION = 1;

/** One history entry as the scripts append it to the `history` JSON array. */
const TaskHistoryJson = z.strictObject({ status: TaskStatus, at: IsoText });

/**
 * The task hash as the task scripts write it (every field is text). Version 1. Records of
 * tasks created by `create` (published straight to Kafka) have no `published`; records
 * written before the submitting event id was kept have no `submittedEventId`.
 */
export const TaskHash = z.strictObject({
  taskId: z.string().min(1),
  tenantId: z.string().min(1),
  taskType: z.string().min(1),
  status: TaskStatus,
  /** Dispatches of the current step. */
  attempts: CountText,
  createdAt: IsoText,
  updatedAt: IsoText,
  /** JSON array of every status entered, oldest first, starting with `submitted`. */
  history: jsonText(z.array(TaskHistoryJson).min(1)),
  /** Absent when the task was submitted outside any trace. */
  traceId: z.string().min(1).optional(),
  rootSpanId: z.string().min(1).optional(),
  submittedEventId: z.string().min(1).optional(),
  /** Gateway submissions: `0` while the `task.submitted` waits in the outbox, then `1`. */
  published: z.enum(['0', '1']).optional(),
  /** JSON of the output. */
  result: jsonText(z.unknown()).optional(),
  /** JSON of an ErrorInfo. */
  error: jsonText(ErrorInfo).optional(),
  role: z.string().optional(),
  model: z.string().optional(),
});
export type TaskHash = z.infer<typeof TaskHash>;

/** Fields a transition may store along with the new status. */
export interface TransitionFields {
  /** Output to keep; JSON-encoded, so it must be JSON-serializable. */
  result?: unknown;
  /** Error to keep. */
  error?: ErrorInfo;
  /** New attempts count (non-negative integer). */
  attempts?: number;
  /** Agent role. */
  role?: string;
  /** Model id. */
  model?: string;
}

/** The JSON text of one history entry, exactly as the Lua scripts append it. */
export function encodeHistoryEntry(status: TaskStatus, at: string): string {
  return JSON.stringify({ status, at });
}

/**
 * Flattens transition fields into hash field/value pairs for a script's ARGV. `result`
 * and `error` are JSON so any shape round-trips; `undefined` means "leave as is".
 */
export function encodeTransitionFields(fields: TransitionFields | undefined): string[] {
  if (!fields) return [];
  const out: string[] = [];
  if (fields.result !== undefined) {
    const json = JSON.stringify(fields.result);
    // JSON.stringify returns undefined for functions and symbols; storing "undefined" would corrupt the record.
    if (json === undefined) throw new TypeError('result must be JSON-serializable');
    out.push('result', json);
  }
  if (fields.error !== undefined) out.push('error', JSON.stringify(ErrorInfo.parse(fields.error)));
  if (fields.attempts !== undefined) out.push('attempts', String(checkAttempts(fields.attempts)));
  if (fields.role !== undefined) out.push('role', fields.role);
  if (fields.model !== undefined) out.push('model', fields.model);
  return out;
}

/** Attempts are a small non-negative integer; anything else is a caller bug. */
export function checkAttempts(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`attempts must be a non-negative integer, got ${n}`);
  return n;
}

function parseJson(key: string, field: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CorruptRecordError(key, `field ${field} is not JSON (${(err as Error).message})`);
  }
}

function required(key: string, hash: Record<string, string>, field: string): string {
  const v = hash[field];
  if (v === undefined) throw new CorruptRecordError(key, `field ${field} is missing`);
  return v;
}

function status(key: string, value: string): TaskStatus {
  const parsed = TaskStatus.safeParse(value);
  if (!parsed.success) throw new CorruptRecordError(key, `unknown status ${JSON.stringify(value)}`);
  return parsed.data;
}

/**
 * Turns the hash of a task (HGETALL) back into a record; null for an empty hash, which
 * is how Redis answers for a missing key. Unknown fields are ignored so a newer writer
 * can add fields without breaking older readers.
 */
export function decodeTaskRecord(key: string, hash: Record<string, string>): TaskRecord | null {
  if (Object.keys(hash).length === 0) return null;
  const attempts = Number(hash['attempts'] ?? '0');
  if (!Number.isSafeInteger(attempts) || attempts < 0) throw new CorruptRecordError(key, `attempts is ${hash['attempts']}`);

  const rawHistory = parseJson(key, 'history', hash['history'] ?? '[]');
  if (!Array.isArray(rawHistory)) throw new CorruptRecordError(key, 'history is not an array');
  const history = rawHistory.map((e: unknown): TaskHistoryEntry => {
    const entry = e as { status?: unknown; at?: unknown } | null;
    if (!entry || typeof entry.status !== 'string' || typeof entry.at !== 'string') {
      throw new CorruptRecordError(key, `bad history entry ${JSON.stringify(e)}`);
    }
    return { status: status(key, entry.status), at: entry.at };
  });

  const record: TaskRecord = {
    taskId: required(key, hash, 'taskId'),
    tenantId: required(key, hash, 'tenantId'),
    taskType: required(key, hash, 'taskType'),
    status: status(key, required(key, hash, 'status')),
    traceId: hash['traceId'] || null,
    attempts,
    createdAt: required(key, hash, 'createdAt'),
    updatedAt: required(key, hash, 'updatedAt'),
    history,
  };
  if (hash['result'] !== undefined) record.result = parseJson(key, 'result', hash['result']);
  if (hash['error'] !== undefined) {
    const parsed = ErrorInfo.safeParse(parseJson(key, 'error', hash['error']));
    if (!parsed.success) throw new CorruptRecordError(key, 'error is not an ErrorInfo');
    record.error = parsed.data;
  }
  if (hash['rootSpanId']) record.rootSpanId = hash['rootSpanId'];
  if (hash['role'] !== undefined) record.role = hash['role'];
  if (hash['model'] !== undefined) record.model = hash['model'];
  if (hash['submittedEventId']) record.submittedEventId = hash['submittedEventId'];
  if (hash['published'] !== undefined) record.published = hash['published'] === '1';
  return record;
}
