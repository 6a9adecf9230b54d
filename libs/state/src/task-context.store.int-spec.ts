import { randomUUID } from 'node:crypto';
import { KeySpace } from './keys';
import type { BatonRedis } from './scripts';
import { StateStore } from './state-store';
import { CorruptRecordError } from './task-record';
import { TEST_REDIS_URL, deletePrefix, rawClient, uniquePrefix } from './testing/redis-test-env';

describe('TaskContextStore (real Redis)', () => {
  const prefix = uniquePrefix();
  let store: StateStore;
  let raw: BatonRedis;

  beforeAll(async () => {
    store = await StateStore.connect(TEST_REDIS_URL, { name: 'context-int', keyPrefix: prefix });
    raw = await rawClient();
  });

  afterAll(async () => {
    await deletePrefix(raw, prefix);
    await store.close();
    await raw.quit();
  });

  it('stores, replaces and reads named JSON values per task', async () => {
    const taskId = randomUUID();
    const spec = { role: 'sales', model: 'sim-small', input: { text: 'hi', data: { n: 1 } } };
    await store.context.put(taskId, 'step.spec', spec);
    await store.context.put(taskId, 'attempt.1', { attempt: 1, outcome: 'blocked' });
    await store.context.put(taskId, 'attempt.1', { attempt: 1, outcome: 'failed' });
    await store.context.put(taskId, 'flag', false);
    expect(await store.context.get<typeof spec>(taskId, 'step.spec')).toEqual(spec);
    expect(await store.context.get(taskId, 'flag')).toBe(false);
    expect(await store.context.getAll(taskId)).toEqual({
      'step.spec': spec,
      'attempt.1': { attempt: 1, outcome: 'failed' },
      flag: false,
    });
    expect(await store.context.get(randomUUID(), 'step.spec')).toBeNull();
    expect(await store.context.get(taskId, 'missing')).toBeNull();
    expect(await store.context.getAll(randomUUID())).toEqual({});
  });

  it('keeps the context in the task hash slot', () => {
    expect(new KeySpace(prefix).taskContext('abc')).toBe(`${prefix}{abc}:ctx`);
  });

  it('rejects values that are not JSON and reports corrupt ones', async () => {
    const taskId = randomUUID();
    await expect(store.context.put(taskId, 'fn', () => 1)).rejects.toThrow(TypeError);
    await expect(store.context.put(taskId, '', 1)).rejects.toThrow(RangeError);
    await raw.hset(new KeySpace(prefix).taskContext(taskId), 'bad', '{nope');
    await expect(store.context.get(taskId, 'bad')).rejects.toThrow(CorruptRecordError);
  });
});
