import { CorruptRecordError } from '../records/state-record';
import type { StateDeps } from '../state-deps';

/**
 * Named JSON values shared by the steps of one task (the step spec a retry re-sends, the
 * outcome of each attempt). One hash per task, under the task's hash tag. Writes are
 * single HSETs, so a re-sent put just writes the same value again.
 */
export class TaskContextStore {
  constructor(private readonly deps: StateDeps) {}

  /** Stores `value` (JSON-serializable) under `name`, replacing any previous value. */
  async put(taskId: string, name: string, value: unknown): Promise<void> {
    if (name.length === 0) throw new RangeError('context name must not be empty');
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError(`context value ${name} must be JSON-serializable`);
    await this.deps.redis.hset(this.deps.keys.taskContext(taskId), name, json);
  }

  /**
   * The value stored under `name`, or null. `T` is what the writer stored: this is Baton's
   * own data, so it is not validated again here.
   */
  async get<T = unknown>(taskId: string, name: string): Promise<T | null> {
    const key = this.deps.keys.taskContext(taskId);
    const json = await this.deps.redis.hget(key, name);
    return json === null ? null : (decode(key, name, json) as T);
  }

  /** Every value of the task's context by name; empty when there is none. */
  async getAll(taskId: string): Promise<Record<string, unknown>> {
    const key = this.deps.keys.taskContext(taskId);
    const hash = await this.deps.redis.hgetall(key);
    return Object.fromEntries(Object.entries(hash).map(([name, json]) => [name, decode(key, name, json)]));
  }
}

function decode(key: string, name: string, json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new CorruptRecordError(key, `context value ${name} is not JSON`);
  }
}
