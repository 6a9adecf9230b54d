import { CorruptRecordError } from '../records/state-record';
import type { StateDeps } from '../state-deps';
import { saveIfRevisionScript } from './context.scripts';

/** A value and the revision it was read at; revision 0 means nothing is stored. */
export interface Versioned<T> {
  value: T | null;
  revision: number;
}

/**
 * Named JSON values of a task's context that are read, changed and written back by
 * several handlers at once (the planner's run): every save is a compare-and-set on a
 * revision, so a write based on a stale read is refused instead of losing another's update.
 */
export class VersionedValueStore {
  constructor(private readonly deps: StateDeps) {}

  /** The value under `name` with its revision. */
  async load<T>(taskId: string, name: string): Promise<Versioned<T>> {
    const key = this.deps.keys.taskContext(taskId);
    const [json, rev] = await this.deps.redis.hmget(key, name, revisionField(name));
    if (json === null) return { value: null, revision: rev === null ? 0 : Number(rev) };
    try {
      return { value: JSON.parse(json) as T, revision: rev === null ? 0 : Number(rev) };
    } catch {
      throw new CorruptRecordError(key, `context value ${name} is not JSON`);
    }
  }

  /**
   * Stores `value` if the stored revision is still `expected`, and with it the `along`
   * fields (other names of the same hash, unversioned); resolves with the new revision, or
   * null when another writer got there first (reload and decide again).
   */
  async save(taskId: string, name: string, value: unknown, expected: number, along: Record<string, unknown> = {}): Promise<number | null> {
    const pairs = Object.entries(along).flatMap(([field, v]) => [field, json(field, v)]);
    return saveIfRevisionScript.run(this.deps.redis, {
      contextKey: this.deps.keys.taskContext(taskId),
      valueField: name,
      revisionField: revisionField(name),
      expectedRevision: expected,
      value: json(name, value),
      along: pairs,
    });
  }

  /** A value written along with a save, or null. */
  async field<T>(taskId: string, field: string): Promise<T | null> {
    const key = this.deps.keys.taskContext(taskId);
    const text = await this.deps.redis.hget(key, field);
    if (text === null) return null;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CorruptRecordError(key, `context value ${field} is not JSON`);
    }
  }

  /** Forgets a value written along with a save (one HDEL: no revision involved). */
  async dropField(taskId: string, field: string): Promise<void> {
    await this.deps.redis.hdel(this.deps.keys.taskContext(taskId), field);
  }
}

function json(name: string, value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`context value ${name} must be JSON-serializable`);
  return text;
}

/** The hash field holding the revision of `name`. Values written before revisions existed count as revision 0. */
function revisionField(name: string): string {
  return `${name}:rev`;
}
