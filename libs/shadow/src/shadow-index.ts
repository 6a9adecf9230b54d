import type { TaskContextStore } from '@baton/state';

/** The part of the state lib's TaskContextStore the index is kept in. */
export type ShadowIndexStorage = Pick<TaskContextStore, 'put' | 'getAll'>;

/** One task the shadow pipeline took in. */
export interface ShadowIndexEntry {
  taskId: string;
  /** When the shadow took it in, ms since epoch. */
  at: number;
}

/**
 * The tasks the shadow pipeline took in, per tenant, by time: what the report walks.
 *
 * Kept in the shadow keyspace as one hash per tenant (task id → ms), through the state
 * lib's public context API, so this lib needs no Redis client of its own. Adding is an HSET,
 * idempotent on a redelivery. Reading sorts in memory: fine for the thousands of tasks a
 * shadow run compares; a sorted set in the state lib would page instead.
 */
export class ShadowIndex {
  constructor(private readonly storage: ShadowIndexStorage) {}

  /** Records that the shadow took in `taskId` at `at`. */
  async add(tenantId: string, taskId: string, at: Date): Promise<void> {
    const ms = at.getTime();
    if (!Number.isFinite(ms)) throw new RangeError(`invalid time for shadow task ${taskId}`);
    await this.storage.put(indexId(tenantId), taskId, ms);
  }

  /** The tenant's `limit` newest entries, newest first. */
  async latest(tenantId: string, limit: number): Promise<ShadowIndexEntry[]> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
    const all = await this.storage.getAll(indexId(tenantId));
    return Object.entries(all)
      .filter((e): e is [string, number] => typeof e[1] === 'number')
      .map(([taskId, at]) => ({ taskId, at }))
      .sort((a, b) => b.at - a.at || (a.taskId < b.taskId ? -1 : 1))
      .slice(0, limit);
  }
}

/** The context id holding a tenant's index; a task id never has this shape (task ids are UUIDs). */
function indexId(tenantId: string): string {
  return `shadow-index:${tenantId}`;
}
