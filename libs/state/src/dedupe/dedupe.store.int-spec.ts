import { randomUUID } from 'node:crypto';
import { KeySpace } from '../keys';
import { StateStore } from '../state-store';
import { TEST_REDIS_URL, useStateTestEnv } from '../testing/redis-test-env';

describe('RedisDedupeStore (real Redis)', () => {
  const env = useStateTestEnv('dedupe-int');

  it('remembers handled events per group', async () => {
    const eventId = randomUUID();
    expect(await env.store.dedupe.isDone('baton-planner', eventId)).toBe(false);
    await env.store.dedupe.markDone('baton-planner', eventId);
    await env.store.dedupe.markDone('baton-planner', eventId);
    expect(await env.store.dedupe.isDone('baton-planner', eventId)).toBe(true);
    expect(await env.store.dedupe.isDone('baton-router', eventId)).toBe(false);
  });

  it('keeps marks for 7 days by default', async () => {
    const eventId = randomUUID();
    await env.store.dedupe.markDone('g', eventId);
    const ttl = await env.raw.ttl(new KeySpace(env.prefix).dedupe('g', eventId));
    expect(ttl).toBeGreaterThan(7 * 86_400 - 60);
    expect(ttl).toBeLessThanOrEqual(7 * 86_400);
  });

  it('honours a configured TTL', async () => {
    const short = await StateStore.connect(TEST_REDIS_URL, { keyPrefix: env.prefix, dedupeTtlSeconds: 60 });
    try {
      const eventId = randomUUID();
      await short.dedupe.markDone('g', eventId);
      expect(await env.raw.ttl(new KeySpace(env.prefix).dedupe('g', eventId))).toBeLessThanOrEqual(60);
    } finally {
      await short.close();
    }
  });
});
