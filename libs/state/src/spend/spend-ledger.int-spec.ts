import { randomUUID } from 'node:crypto';
import { StateStore } from '../state-store';
import { TEST_REDIS_URL, useStateTestEnv } from '../testing/redis-test-env';

describe('SpendLedger (real Redis)', () => {
  const env = useStateTestEnv('spend-int');

  const tenant = (): string => `t-${randomUUID().slice(0, 8)}`;

  it('adds to task, tenant, tenant+model and tenant+day totals', async () => {
    const tenantId = tenant();
    const [t1, t2] = [randomUUID(), randomUUID()];
    const day1 = new Date('2025-06-01T23:59:00Z');
    const day2 = new Date('2025-06-02T00:01:00Z');
    expect(await env.store.spend.record({ usageEventId: randomUUID(), taskId: t1, tenantId, model: 'small', costMicros: 150, at: day1 })).toEqual({
      applied: true,
      taskTotalMicros: 150,
      tenantTotalMicros: 150,
    });
    expect(await env.store.spend.record({ usageEventId: randomUUID(), taskId: t1, tenantId, model: 'large', costMicros: 2_000, at: day2 })).toEqual({
      applied: true,
      taskTotalMicros: 2_150,
      tenantTotalMicros: 2_150,
    });
    expect(await env.store.spend.record({ usageEventId: randomUUID(), taskId: t2, tenantId, model: 'small', costMicros: 7, at: day2 })).toEqual({
      applied: true,
      taskTotalMicros: 7,
      tenantTotalMicros: 2_157,
    });

    expect(await env.store.spend.taskTotal(t1)).toBe(2_150);
    expect(await env.store.spend.taskTotal(t2)).toBe(7);
    expect(await env.store.spend.tenantTotal(tenantId)).toBe(2_157);
    expect(await env.store.spend.tenantByModel(tenantId)).toEqual({ small: 157, large: 2_000 });
    expect(await env.store.spend.tenantByDay(tenantId, '2025-06-01')).toBe(150);
    expect(await env.store.spend.tenantByDay(tenantId, '2025-06-02')).toBe(2_007);
  });

  it('answers zero and empty for unknown tasks, tenants and days', async () => {
    const tenantId = tenant();
    expect(await env.store.spend.taskTotal(randomUUID())).toBe(0);
    expect(await env.store.spend.tenantTotal(tenantId)).toBe(0);
    expect(await env.store.spend.tenantByModel(tenantId)).toEqual({});
    expect(await env.store.spend.tenantByDay(tenantId, '2025-01-01')).toBe(0);
  });

  it('charges a usage event once even when recorded 20 times concurrently', async () => {
    const tenantId = tenant();
    const taskId = randomUUID();
    const usage = { usageEventId: randomUUID(), taskId, tenantId, model: 'small', costMicros: 1_234 };
    const others = await Promise.all([1, 2, 3].map(() => StateStore.connect(TEST_REDIS_URL, { keyPrefix: env.prefix })));
    try {
      const clients = [env.store, ...others];
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => clients[i % clients.length]!.spend.record(usage)));
      expect(results.filter((r) => r.applied)).toHaveLength(1);
      // Totals come back either way, so a duplicate can still report the current spend.
      for (const r of results) {
        expect(r.taskTotalMicros).toBe(1_234);
        expect(r.tenantTotalMicros).toBe(1_234);
      }
      expect(await env.store.spend.taskTotal(taskId)).toBe(1_234);
      expect(await env.store.spend.tenantByModel(tenantId)).toEqual({ small: 1_234 });
    } finally {
      await Promise.all(others.map((s) => s.close()));
    }
  });

  it('keeps large totals exact', async () => {
    const tenantId = tenant();
    const taskId = randomUUID();
    const big = 2 ** 50;
    await env.store.spend.record({ usageEventId: randomUUID(), taskId, tenantId, model: 'm', costMicros: big });
    const r = await env.store.spend.record({ usageEventId: randomUUID(), taskId, tenantId, model: 'm', costMicros: 3 });
    expect(r.taskTotalMicros).toBe(big + 3);
  });

  it('rejects costs that are not non-negative integers', async () => {
    const base = { usageEventId: randomUUID(), taskId: randomUUID(), tenantId: tenant(), model: 'm' };
    for (const costMicros of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2]) {
      await expect(env.store.spend.record({ ...base, costMicros })).rejects.toThrow(RangeError);
    }
    await expect(env.store.spend.record({ ...base, model: '', costMicros: 1 })).rejects.toThrow(RangeError);
    await expect(env.store.spend.tenantByDay(base.tenantId, '2025-6-1')).rejects.toThrow(RangeError);
    expect(await env.store.spend.taskTotal(base.taskId)).toBe(0);
  });
});
