import type { TaskRecord } from '@baton/state';
import { ShadowIndex, type ShadowIndexStorage } from './shadow-index';
import { loadShadowPair, loadShadowPairs, type SideStore } from './shadow-reader';

/** The context store as a map of hashes: exactly the two calls the index makes. */
function memoryStorage(): ShadowIndexStorage & { hashes: Map<string, Map<string, unknown>> } {
  const hashes = new Map<string, Map<string, unknown>>();
  return {
    hashes,
    put: async (id, name, value) => {
      const h = hashes.get(id) ?? new Map<string, unknown>();
      h.set(name, JSON.parse(JSON.stringify(value)) as unknown);
      hashes.set(id, h);
    },
    getAll: async (id) => Object.fromEntries(hashes.get(id) ?? new Map<string, unknown>()),
  };
}

describe('ShadowIndex', () => {
  it('lists a tenant\'s tasks newest first, up to the limit, and only that tenant\'s', async () => {
    const index = new ShadowIndex(memoryStorage());
    await index.add('acme', 't1', new Date(1000));
    await index.add('acme', 't3', new Date(3000));
    await index.add('acme', 't2', new Date(2000));
    await index.add('globex', 'g1', new Date(5000));
    expect(await index.latest('acme', 10)).toEqual([
      { taskId: 't3', at: 3000 },
      { taskId: 't2', at: 2000 },
      { taskId: 't1', at: 1000 },
    ]);
    expect((await index.latest('acme', 2)).map((e) => e.taskId)).toEqual(['t3', 't2']);
    expect(await index.latest('nobody', 5)).toEqual([]);
  });

  it('keeps one entry per task when the same task is added again (a redelivery)', async () => {
    const storage = memoryStorage();
    const index = new ShadowIndex(storage);
    await index.add('acme', 't1', new Date(1000));
    await index.add('acme', 't1', new Date(1000));
    expect(await index.latest('acme', 10)).toHaveLength(1);
  });

  it('refuses a bad limit or time', async () => {
    const index = new ShadowIndex(memoryStorage());
    await expect(index.latest('acme', 0)).rejects.toThrow(/limit/);
    await expect(index.add('acme', 't', new Date('nope'))).rejects.toThrow(/invalid time/);
  });
});

describe('loadShadowPairs', () => {
  const record = (taskId: string, tenantId: string, model: string): TaskRecord => ({
    taskId,
    tenantId,
    taskType: 'ticket.summarize',
    status: 'completed',
    traceId: null,
    result: { text: model },
    attempts: 1,
    model,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:01.000Z',
    history: [],
  });
  const store = (records: TaskRecord[], spend: Record<string, number>): SideStore => ({
    tasks: { get: async (id) => records.find((r) => r.taskId === id) ?? null },
    spend: { taskTotal: async (id) => spend[id] ?? 0 },
  });

  it('reads both sides of each indexed task with its spend, a foreign tenant\'s record as missing', async () => {
    const index = new ShadowIndex(memoryStorage());
    await index.add('acme', 'a', new Date(1));
    await index.add('acme', 'b', new Date(2));
    const stores = {
      live: store([record('a', 'acme', 'sim-mini'), record('b', 'globex', 'sim-mini')], { a: 10 }),
      shadow: store([record('a', 'acme', 'sim-reasoner'), record('b', 'acme', 'sim-reasoner')], { a: 900, b: 800 }),
    };
    const pairs = await loadShadowPairs(index, stores, 'acme', 10);
    expect(pairs.map((p) => [p.taskId, p.live?.model ?? null, p.live?.costMicros ?? null, p.shadow?.model, p.shadow?.costMicros])).toEqual([
      ['b', null, null, 'sim-reasoner', 800],
      ['a', 'sim-mini', 10, 'sim-reasoner', 900],
    ]);
    expect(pairs[1]!.live).toEqual({
      status: 'completed',
      result: { text: 'sim-mini' },
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:01.000Z',
      attempts: 1,
      model: 'sim-mini',
      costMicros: 10,
    });
    expect(await loadShadowPair(stores, 'globex', 'a')).toEqual({ taskId: 'a', live: null, shadow: null });
  });
});
