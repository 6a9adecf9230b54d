import type { SpendLedger, TaskRecord, TaskStateRepository } from '@baton/state';
import type { ShadowIndex } from './shadow-index';
import type { ShadowPair, ShadowSide } from './shadow-report';

/** What the reader needs of one keyspace (a StateStore satisfies it). */
export interface SideStore {
  tasks: Pick<TaskStateRepository, 'get'>;
  spend: Pick<SpendLedger, 'taskTotal'>;
}

/** The live and the shadow keyspace. */
export interface ShadowStores {
  live: SideStore;
  shadow: SideStore;
}

/** Both sides of one task as `tenantId` may see them: a record of another tenant reads as missing. */
export async function loadShadowPair(stores: ShadowStores, tenantId: string, taskId: string): Promise<ShadowPair> {
  const [live, shadow] = await Promise.all([loadSide(stores.live, tenantId, taskId), loadSide(stores.shadow, tenantId, taskId)]);
  return { taskId, live, shadow };
}

/** Both sides of the tenant's `limit` newest shadow tasks, newest first. */
export async function loadShadowPairs(index: Pick<ShadowIndex, 'latest'>, stores: ShadowStores, tenantId: string, limit: number): Promise<ShadowPair[]> {
  const entries = await index.latest(tenantId, limit);
  return Promise.all(entries.map((e) => loadShadowPair(stores, tenantId, e.taskId)));
}

async function loadSide(store: SideStore, tenantId: string, taskId: string): Promise<ShadowSide | null> {
  const record = await store.tasks.get(taskId);
  if (!record || record.tenantId !== tenantId) return null;
  return toShadowSide(record, await store.spend.taskTotal(taskId));
}

/** A task record and its spend as one side of the report. */
export function toShadowSide(record: TaskRecord, costMicros: number): ShadowSide {
  return {
    status: record.status,
    ...(record.result !== undefined ? { result: record.result } : {}),
    ...(record.error ? { error: record.error } : {}),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    attempts: record.attempts,
    ...(record.model ? { model: record.model } : {}),
    ...(record.role ? { role: record.role } : {}),
    costMicros,
  };
}
