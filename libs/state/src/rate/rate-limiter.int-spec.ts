import { randomUUID } from 'node:crypto';
import { KeySpace } from '../keys';
import type { RateScope, TakeResult } from './rate-limiter';
import { StateStore } from '../state-store';
import { ReplyDroppingProxy } from '../testing/reply-dropping-proxy';
import { TEST_REDIS_URL, useStateTestEnv } from '../testing/redis-test-env';

const uid = (): string => randomUUID().slice(0, 8);
const perMinute = (id: string, limit: number): RateScope => ({ id, limit, windowMs: 60_000 });

describe('RateLimiter (real Redis)', () => {
  const env = useStateTestEnv('rate-int');
  const t0 = Date.parse('2026-11-24T10:00:00Z');

  it('admits up to the limit at once, then one unit per window / limit', async () => {
    const scope: RateScope = { id: `s:${uid()}`, limit: 2, windowMs: 10_000 };
    const take = (now: number): Promise<TakeResult> => env.store.rates.take({ opId: randomUUID(), scopes: [scope], costs: [1], now });
    expect(await take(t0)).toEqual({ ok: true });
    expect(await take(t0)).toEqual({ ok: true });
    expect(await take(t0)).toEqual({ ok: false, scope: scope.id, retryAfterMs: 5_000 });
    expect(await take(t0 + 4_999)).toEqual({ ok: false, scope: scope.id, retryAfterMs: 1 });
    expect(await take(t0 + 5_000)).toEqual({ ok: true });
    expect(await env.store.rates.peek(scope, t0 + 5_000)).toEqual({ available: 0, retryAfterMs: 5_000 });
    expect(await env.store.rates.peek(scope, t0 + 20_000)).toEqual({ available: 2, retryAfterMs: 0 });
  });

  it('weighs takes by cost (tokens)', async () => {
    const tpm = perMinute(`model:${uid()}:tpm`, 100_000);
    expect(await env.store.rates.take({ opId: randomUUID(), scopes: [tpm], costs: [60_000], now: t0 })).toEqual({ ok: true });
    expect(await env.store.rates.take({ opId: randomUUID(), scopes: [tpm], costs: [40_000], now: t0 })).toEqual({ ok: true });
    // 1 200 tokens come back after 1 200 × 0.6 ms.
    expect(await env.store.rates.take({ opId: randomUUID(), scopes: [tpm], costs: [1_200], now: t0 })).toEqual({ ok: false, scope: tpm.id, retryAfterMs: 720 });
    expect(await env.store.rates.take({ opId: randomUUID(), scopes: [tpm], costs: [1_200], now: t0 + 720 })).toEqual({ ok: true });
  });

  it('a flooding tenant is refused with a retry-after while a steady one, sharing the model limit, never is', async () => {
    const flood = perMinute(`tenant:${uid()}:rpm`, 60);
    const steady = perMinute(`tenant:${uid()}:rpm`, 60);
    const model = perMinute(`model:${uid()}:tpm`, 10_000);
    const replicas = [env.store, ...(await Promise.all([1, 2].map(() => StateStore.connect(TEST_REDIS_URL, { keyPrefix: env.prefix }))))];
    let floodAdmitted = 0;
    let floodRefused = 0;
    let steadyAdmitted = 0;
    try {
      for (let second = 0; second < 60; second += 1) {
        const now = t0 + second * 1_000;
        const floods = Array.from({ length: 20 }, (_, i) =>
          replicas[i % replicas.length]!.rates.take({ opId: randomUUID(), scopes: [flood, model], costs: [1, 50], now }),
        );
        const calm =
          second % 2 === 0 ? [replicas[second % replicas.length]!.rates.take({ opId: randomUUID(), scopes: [steady, model], costs: [1, 50], now })] : [];
        const [floodResults, calmResults] = await Promise.all([Promise.all(floods), Promise.all(calm)]);
        for (const r of calmResults) {
          expect(r).toEqual({ ok: true });
          steadyAdmitted += 1;
        }
        for (const r of floodResults) {
          if (r.ok) {
            floodAdmitted += 1;
          } else {
            floodRefused += 1;
            expect(r.scope).toBe(flood.id);
            expect(r.retryAfterMs).toBeGreaterThan(0);
            expect(r.retryAfterMs).toBeLessThanOrEqual(1_000);
          }
        }
      }
    } finally {
      await Promise.all(replicas.slice(1).map((s) => s.close()));
    }
    expect(steadyAdmitted).toBe(30);
    // The burst of 60, then one per second.
    expect(floodAdmitted).toBe(60 + 59);
    expect(floodRefused).toBe(60 * 20 - floodAdmitted);
    // Refused takes consumed nothing of the shared model limit.
    const modelRoom = await env.store.rates.peek(model, t0 + 59_000);
    expect(modelRoom.available).toBeGreaterThanOrEqual(10_000 - (floodAdmitted + steadyAdmitted) * 50);
  });

  it('is all or nothing across scopes, and names the scope with the longest wait', async () => {
    const x = { id: `x:${uid()}`, limit: 10, windowMs: 60_000 };
    const y = { id: `y:${uid()}`, limit: 2, windowMs: 60_000 };
    const z = { id: `z:${uid()}`, limit: 1, windowMs: 1_000 };
    for (let i = 0; i < 2; i += 1) expect(await env.store.rates.take({ opId: randomUUID(), scopes: [x, y], costs: [1, 1], now: t0 })).toEqual({ ok: true });
    expect(await env.store.rates.take({ opId: randomUUID(), scopes: [x, y], costs: [1, 1], now: t0 })).toEqual({ ok: false, scope: y.id, retryAfterMs: 30_000 });
    expect(await env.store.rates.peek(x, t0)).toMatchObject({ available: 8 });
    expect(await env.store.rates.take({ opId: randomUUID(), scopes: [z], costs: [1], now: t0 })).toEqual({ ok: true });
    // z waits 1 s, y 30 s: the caller must wait for both.
    expect(await env.store.rates.take({ opId: randomUUID(), scopes: [z, x, y], costs: [1, 1, 1], now: t0 })).toEqual({ ok: false, scope: y.id, retryAfterMs: 30_000 });
    expect(await env.store.rates.peek(x, t0)).toMatchObject({ available: 8 });
    // A zero cost checks nothing and consumes nothing.
    expect(await env.store.rates.take({ opId: randomUUID(), scopes: [x, y], costs: [1, 0], now: t0 })).toEqual({ ok: true });
    expect(await env.store.rates.peek(x, t0)).toMatchObject({ available: 7 });
  });

  it('never consumes twice for one op id', async () => {
    const scope = perMinute(`s:${uid()}`, 5);
    const opId = randomUUID();
    for (let i = 0; i < 3; i += 1) expect(await env.store.rates.take({ opId, scopes: [scope], costs: [2], now: t0 })).toEqual({ ok: true });
    expect(await env.store.rates.peek(scope, t0)).toMatchObject({ available: 3 });
  });

  it('admits exactly the limit among concurrent takes from several replicas', async () => {
    const scope = perMinute(`s:${uid()}`, 10);
    const replicas = [env.store, ...(await Promise.all([1, 2, 3, 4].map(() => StateStore.connect(TEST_REDIS_URL, { keyPrefix: env.prefix }))))];
    try {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => replicas[i % replicas.length]!.rates.take({ opId: randomUUID(), scopes: [scope], costs: [1], now: t0 })),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(10);
    } finally {
      await Promise.all(replicas.slice(1).map((s) => s.close()));
    }
  });

  it('refunds unused units once, capped at the cost', async () => {
    const tpm = perMinute(`s:${uid()}`, 1_000);
    const opId = randomUUID();
    await env.store.rates.take({ opId, scopes: [tpm], costs: [800], now: t0 });
    expect(await env.store.rates.peek(tpm, t0)).toMatchObject({ available: 200 });
    expect(await env.store.rates.refund({ opId, scopes: [tpm], amounts: [500], now: t0 })).toBe(true);
    expect(await env.store.rates.peek(tpm, t0)).toMatchObject({ available: 700 });
    expect(await env.store.rates.refund({ opId, scopes: [tpm], amounts: [500], now: t0 })).toBe(false);
    expect(await env.store.rates.refund({ opId: randomUUID(), scopes: [tpm], amounts: [500], now: t0 })).toBe(false);
    await expect(env.store.rates.refund({ opId, scopes: [perMinute('other', 1_000)], amounts: [1], now: t0 })).rejects.toThrow(RangeError);

    const capped = randomUUID();
    await env.store.rates.take({ opId: capped, scopes: [tpm], costs: [100], now: t0 });
    expect(await env.store.rates.refund({ opId: capped, scopes: [tpm], amounts: [1_000], now: t0 })).toBe(true);
    expect(await env.store.rates.peek(tpm, t0)).toMatchObject({ available: 700 });
  });

  it('lets a scope key expire once its consumption is replenished', async () => {
    const scope: RateScope = { id: `s:${uid()}`, limit: 10, windowMs: 1_000 };
    await env.store.rates.take({ opId: randomUUID(), scopes: [scope], costs: [3] });
    const ttl = await env.raw.pttl(new KeySpace(env.prefix).rateScope(scope.id));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(302);
  });

  it('rejects bad input', async () => {
    const scope = perMinute(`s:${uid()}`, 5);
    await expect(env.store.rates.take({ opId: randomUUID(), scopes: [scope], costs: [6] })).rejects.toThrow(/exceeds its limit/);
    await expect(env.store.rates.take({ opId: randomUUID(), scopes: [scope], costs: [] })).rejects.toThrow(RangeError);
    await expect(env.store.rates.take({ opId: randomUUID(), scopes: [scope, scope], costs: [1, 1] })).rejects.toThrow(/twice/);
    await expect(env.store.rates.take({ opId: randomUUID(), scopes: [{ ...scope, limit: 0 }], costs: [0] })).rejects.toThrow(RangeError);
    await expect(env.store.rates.take({ opId: 'a b', scopes: [scope], costs: [1] })).rejects.toThrow(RangeError);
    await expect(env.store.rates.take({ opId: randomUUID(), scopes: [scope], costs: [1], now: Number.NaN })).rejects.toThrow(RangeError);
    expect(await env.store.rates.take({ opId: randomUUID(), scopes: [], costs: [] })).toEqual({ ok: true });
    expect(await env.store.rates.peek(scope)).toMatchObject({ available: 5 });
  });
});

describe('RateLimiter takes re-sent by ioredis after a reconnect (real Redis)', () => {
  const upstream = new URL(TEST_REDIS_URL);
  const proxy = new ReplyDroppingProxy({ host: upstream.hostname, port: Number(upstream.port || 6379) });
  let proxyUrl = '';
  const env = useStateTestEnv('rate-resend-int', { url: async () => (proxyUrl = await proxy.start()) });
  const t0 = Date.parse('2026-11-24T10:00:00Z');

  beforeAll(async () => {
    const warm = perMinute(`warm:${uid()}`, 10);
    const opId = randomUUID();
    await env.store.rates.take({ opId, scopes: [warm], costs: [1] });
    await env.store.rates.refund({ opId, scopes: [warm], amounts: [1] });
  });

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

  it('an admitted take answers admitted and consumes once, in every scope', async () => {
    const a = perMinute(`a:${uid()}`, 5);
    const b = perMinute(`b:${uid()}`, 100);
    expect(await withDroppedReply(() => env.store.rates.take({ opId: randomUUID(), scopes: [a, b], costs: [2, 30], now: t0 }))).toEqual({ ok: true });
    expect(await env.store.rates.peek(a, t0)).toMatchObject({ available: 3 });
    expect(await env.store.rates.peek(b, t0)).toMatchObject({ available: 70 });
  });

  it('a refused take stays refused and consumes nothing', async () => {
    const a = perMinute(`a:${uid()}`, 5);
    const b = perMinute(`b:${uid()}`, 1);
    await env.store.rates.take({ opId: randomUUID(), scopes: [b], costs: [1], now: t0 });
    expect(await withDroppedReply(() => env.store.rates.take({ opId: randomUUID(), scopes: [a, b], costs: [1, 1], now: t0 }))).toEqual({
      ok: false,
      scope: b.id,
      retryAfterMs: 60_000,
    });
    expect(await env.store.rates.peek(a, t0)).toMatchObject({ available: 5 });
  });

  it('a refund answers refunded and gives back once', async () => {
    const a = perMinute(`a:${uid()}`, 100);
    const opId = randomUUID();
    await env.store.rates.take({ opId, scopes: [a], costs: [60], now: t0 });
    expect(await withDroppedReply(() => env.store.rates.refund({ opId, scopes: [a], amounts: [20], now: t0 }))).toBe(true);
    expect(await env.store.rates.peek(a, t0)).toMatchObject({ available: 60 });
  });

  it('many takes with replies dropped at random consume exactly what was admitted', async () => {
    const scope = perMinute(`s:${uid()}`, 50);
    const replicas = [env.store, ...(await Promise.all([1, 2, 3].map(() => StateStore.connect(proxyUrl, { keyPrefix: env.prefix }))))];
    try {
      // Every op id is taken twice: a caller retrying after a lost answer.
      const opIds = Array.from({ length: 40 }, () => randomUUID());
      const before = proxy.dropped;
      const results: TakeResult[] = [];
      for (const [i, opId] of opIds.entries()) {
        if (i % 3 === 0) proxy.dropNextReply();
        const r = replicas[i % replicas.length]!;
        const [first, again] = await Promise.all([r.rates.take({ opId, scopes: [scope], costs: [1], now: t0 }), r.rates.take({ opId, scopes: [scope], costs: [1], now: t0 })]);
        expect(again).toEqual(first);
        results.push(first);
      }
      expect(proxy.dropped - before).toBeGreaterThanOrEqual(10);
      expect(results.filter((r) => r.ok)).toHaveLength(40);
      expect(await env.store.rates.peek(scope, t0)).toMatchObject({ available: 10 });
    } finally {
      await Promise.all(replicas.slice(1).map((s) => s.close()));
    }
  });
});
