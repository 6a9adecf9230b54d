import { randomUUID } from 'node:crypto';
import { createEvent } from '@baton/contracts';
import { ReplyDroppingProxy } from './testing/reply-dropping-proxy';
import { TEST_REDIS_URL, useStateTestEnv } from './testing/redis-test-env';

/*
 * The real failure, not a simulation: Redis runs the script, the reply is lost with the
 * connection, and ioredis re-sends the command after reconnecting. The caller must get
 * the answer of the first run and the change must happen once.
 */
describe('mutations re-sent by ioredis after a reconnect (real Redis)', () => {
  const upstream = new URL(TEST_REDIS_URL);
  const proxy = new ReplyDroppingProxy({ host: upstream.hostname, port: Number(upstream.port || 6379) });
  // The store talks through the proxy; the raw client goes straight to Redis.
  const env = useStateTestEnv('resend-int', { url: () => proxy.start() });

  beforeAll(async () => {
    // Load every script through the proxy first: a dropped NOSCRIPT reply would test ioredis, not us.
    await env.store.tasks.create({ taskId: randomUUID(), tenantId: 'warm', taskType: 't', traceId: null });
    await env.store.tasks.transition(randomUUID(), 'running');
    await env.store.spend.record({ usageEventId: 'warm', taskId: randomUUID(), tenantId: 'warm', model: 'm', costMicros: 0 });
    await env.store.idempotency.claim('warm', 'k', 'x');
    await env.store.tasks.submit(submission(randomUUID(), 'warm'));
  });

  const submission = (taskId: string, key: string) => ({
    taskId,
    tenantId: 'acme',
    taskType: 't',
    traceId: null,
    event: createEvent('task.submitted', { tenantId: 'acme', taskId, causationId: null }, { taskType: 't', input: { text: 'x' } }),
    idempotency: { key, ttlSeconds: 60 },
  });

  // Registered after useStateTestEnv, so it runs after the store has closed, as before.
  afterAll(async () => {
    await proxy.stop();
  });

  async function withDroppedReply<T>(op: () => Promise<T>): Promise<T> {
    const before = proxy.dropped;
    proxy.dropNextReply();
    const result = await op();
    expect(proxy.dropped).toBe(before + 1);
    return result;
  }

  it('create answers true and creates once', async () => {
    const taskId = randomUUID();
    expect(await withDroppedReply(() => env.store.tasks.create({ taskId, tenantId: 'acme', taskType: 't', traceId: null }))).toBe(true);
    expect((await env.store.tasks.get(taskId))!.history).toHaveLength(1);
  });

  it('transition answers applied and appends history once', async () => {
    const taskId = randomUUID();
    await env.store.tasks.create({ taskId, tenantId: 'acme', taskType: 't', traceId: null });
    expect(await withDroppedReply(() => env.store.tasks.transition(taskId, 'admitted', { from: ['submitted'] }))).toEqual({
      applied: true,
      status: 'admitted',
    });
    expect((await env.store.tasks.get(taskId))!.history.map((h) => h.status)).toEqual(['submitted', 'admitted']);
  });

  it('spend answers applied and charges once', async () => {
    const taskId = randomUUID();
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    const usage = { usageEventId: randomUUID(), taskId, tenantId, model: 'm', costMicros: 1234 };
    expect(await withDroppedReply(() => env.store.spend.record(usage))).toEqual({
      applied: true,
      taskTotalMicros: 1234,
      tenantTotalMicros: 1234,
    });
    expect(await env.store.spend.taskTotal(taskId)).toBe(1234);
  });

  it('an idempotency claim answers claimed', async () => {
    const taskId = randomUUID();
    expect(await withDroppedReply(() => env.store.idempotency.claim('acme', randomUUID(), taskId))).toEqual({ claimed: true, taskId });
  });

  it('a submission answers created, with its key, once', async () => {
    const taskId = randomUUID();
    const key = randomUUID();
    expect(await withDroppedReply(() => env.store.tasks.submit(submission(taskId, key)))).toEqual({ created: true, taskId });
    expect(await env.store.tasks.submit(submission(randomUUID(), key))).toEqual({ created: false, taskId });
    expect(await env.store.tasks.unpublished(Date.now())).toContain(taskId);
  });
});
