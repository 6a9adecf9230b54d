import type { StateDeps } from './state-deps';
import { CorruptRecordError } from './task-record';

/**
 * KEYS: the task's context hash. ARGV: value field, revision field, expected revision
 * ('0': none stored yet), value (JSON), then field/value pairs written with it.
 * Writes the value (and the pairs) and bumps the revision only when the stored revision is
 * the expected one. Returns the new revision, or -1 (nothing written) on a mismatch.
 *
 * Not made idempotent with an op id on purpose: when ioredis re-sends a save whose reply
 * was lost, the re-send sees a mismatch and the caller reloads; the value it finds is its
 * own write, and callers record which causes a value already holds (the planner's applied
 * event ids), so they act on what is stored instead of writing twice.
 */
const SAVE_IF_REVISION = `
local cur = redis.call('HGET', KEYS[1], ARGV[2]) or '0'
if cur ~= ARGV[3] then return -1 end
local nxt = tonumber(cur) + 1
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4], ARGV[2], tostring(nxt))
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return nxt
`;

interface VersionedCommands {
  batonSaveIfRevision(key: string, field: string, revField: string, expected: string, json: string, ...pairs: string[]): Promise<number>;
}

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
  private readonly redis: StateDeps['redis'] & VersionedCommands;

  constructor(private readonly deps: StateDeps) {
    const redis = deps.redis as StateDeps['redis'] & Partial<VersionedCommands>;
    if (typeof redis.batonSaveIfRevision !== 'function') redis.defineCommand('batonSaveIfRevision', { numberOfKeys: 1, lua: SAVE_IF_REVISION });
    this.redis = redis as StateDeps['redis'] & VersionedCommands;
  }

  /** The value under `name` with its revision. */
  async load<T>(taskId: string, name: string): Promise<Versioned<T>> {
    const key = this.deps.keys.taskContext(taskId);
    const [json, rev] = await this.redis.hmget(key, name, revisionField(name));
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
    const rev = await this.redis.batonSaveIfRevision(this.deps.keys.taskContext(taskId), name, revisionField(name), String(expected), json(name, value), ...pairs);
    return rev < 0 ? null : rev;
  }

  /** A value written along with a save, or null. */
  async field<T>(taskId: string, field: string): Promise<T | null> {
    const key = this.deps.keys.taskContext(taskId);
    const text = await this.redis.hget(key, field);
    if (text === null) return null;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CorruptRecordError(key, `context value ${field} is not JSON`);
    }
  }

  /** Forgets a value written along with a save (one HDEL: no revision involved). */
  async dropField(taskId: string, field: string): Promise<void> {
    await this.redis.hdel(this.deps.keys.taskContext(taskId), field);
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
