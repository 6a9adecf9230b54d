import { randomUUID } from 'node:crypto';
import { KeySpace } from '../keys';
import { useStateTestEnv } from '../testing/redis-test-env';

describe('IdempotencyKeys (real Redis)', () => {
  const env = useStateTestEnv('idem-int');

  it('claims a free key and returns the first holder afterwards', async () => {
    const key = randomUUID();
    const [first, second] = [randomUUID(), randomUUID()];
    expect(await env.store.idempotency.claim('acme', key, first)).toEqual({ claimed: true, taskId: first });
    expect(await env.store.idempotency.claim('acme', key, second)).toEqual({ claimed: false, taskId: first });
    expect(await env.store.idempotency.claim('acme', key, first)).toEqual({ claimed: true, taskId: first });
  });

  it('scopes keys per tenant', async () => {
    const key = randomUUID();
    const [a, b] = [randomUUID(), randomUUID()];
    expect((await env.store.idempotency.claim('acme', key, a)).claimed).toBe(true);
    expect(await env.store.idempotency.claim('globex', key, b)).toEqual({ claimed: true, taskId: b });
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const key = `order {7} / ${randomUUID()}`;
    const ids = Array.from({ length: 25 }, () => randomUUID());
    const results = await Promise.all(ids.map((id) => env.store.idempotency.claim('acme', key, id)));
    const winners = results.filter((r) => r.claimed);
    expect(winners).toHaveLength(1);
    expect(new Set(results.map((r) => r.taskId))).toEqual(new Set([winners[0]!.taskId]));
  });

  it('expires after the TTL (default one day)', async () => {
    const key = randomUUID();
    await env.store.idempotency.claim('acme', key, randomUUID());
    const ttl = await env.raw.ttl(new KeySpace(env.prefix).idempotency('acme', key));
    expect(ttl).toBeGreaterThan(86_000);
    expect(ttl).toBeLessThanOrEqual(86_400);

    const short = randomUUID();
    await env.store.idempotency.claim('acme', short, 'old-task', 1);
    await env.raw.pexpire(new KeySpace(env.prefix).idempotency('acme', short), 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await env.store.idempotency.claim('acme', short, 'new-task')).toEqual({ claimed: true, taskId: 'new-task' });
  });

  it('rejects bad TTLs and empty keys', async () => {
    await expect(env.store.idempotency.claim('acme', 'k', 't', 0)).rejects.toThrow(RangeError);
    await expect(env.store.idempotency.claim('acme', '', 't')).rejects.toThrow(RangeError);
  });
});
