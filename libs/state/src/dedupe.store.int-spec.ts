import { randomUUID } from 'node:crypto';
import { KeySpace } from './keys';
import type { BatonRedis } from './scripts';
import { StateStore } from './state-store';
import { TEST_REDIS_URL, deletePrefix, rawClient, uniquePrefix } from './testing/redis-test-env';

describe('RedisDedupeStore (real Redis)', () => {
  const prefix = uniquePrefix();
  let store: StateStore;
  let raw: BatonRedis;

  beforeAll(async () => {
    store = await StateStore.connect(TEST_REDIS_URL, { name: 'dedupe-int', keyPrefix: prefix });
    raw = await rawClient();
  });

  afterAll(async () => {
    await deletePrefix(raw, prefix);
    await store.close();
    await raw.quit();
  });

  it('remembers handled events per group', async () => {
    const eventId = randomUUID();
    expect(await store.dedupe.isDone('baton-planner', eventId)).toBe(false);
    await store.dedupe.markDone('baton-planner', eventId);
    await store.dedupe.markDone('baton-planner', eventId);
    expect(await store.dedupe.isDone('baton-planner', eventId)).toBe(true);
    expect(await store.dedupe.isDone('baton-router', eventId)).toBe(false);
  });

  it('keeps marks for 7 days by default', async () => {
    const eventId = randomUUID();
    await store.dedupe.markDone('g', eventId);
    const ttl = await raw.ttl(new KeySpace(prefix).dedupe('g', eventId));
    expect(ttl).toBeGreaterThan(7 * 86_400 - 60);
    expect(ttl).toBeLessThanOrEqual(7 * 86_400);
  });

  it('honours a configured TTL', async () => {
    const short = await StateStore.connect(TEST_REDIS_URL, { keyPrefix: prefix, dedupeTtlSeconds: 60 });
    try {
      const eventId = randomUUID();
      await short.dedupe.markDone('g', eventId);
      expect(await raw.ttl(new KeySpace(prefix).dedupe('g', eventId))).toBeLessThanOrEqual(60);
    } finally {
      await short.close();
    }
  });
});
