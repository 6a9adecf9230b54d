import { randomUUID } from 'node:crypto';
import { BudgetLedger, type BudgetScope } from './budget-ledger';
import { KeySpace } from '../keys';
import { stateDeps } from '../state-deps';
import { useStateTestEnv } from '../testing/redis-test-env';

describe('BudgetLedger (real Redis)', () => {
  const env = useStateTestEnv('budget-int');

  const uid = (): string => randomUUID().slice(0, 8);
  let clock = Date.parse('2026-11-24T10:00:00Z');
  let ledger: BudgetLedger;

  beforeAll(() => {
    // The store's ledger under a clock the tests move by hand.
    ledger = new BudgetLedger(stateDeps(env.raw, { keys: new KeySpace(env.prefix), now: () => new Date(clock) }));
  });

  function fixture(limits: number[] = [1_000, 5_000]): { taskId: string; tenantId: string; scopes: BudgetScope[] } {
    const taskId = randomUUID();
    const tenantId = `t-${uid()}`;
    const ids = [`task:${taskId}`, `tenant:${tenantId}:day:2026-11-24`, `global:day:${uid()}`];
    return { taskId, tenantId, scopes: limits.map((limitMicros, i) => ({ id: ids[i]!, limitMicros })) };
  }

  const reserveArgs = (f: ReturnType<typeof fixture>, amountMicros: number, reservationId = randomUUID()) => ({
    reservationId,
    taskId: f.taskId,
    tenantId: f.tenantId,
    model: 'sim-mini',
    amountMicros,
    scopes: f.scopes,
    ttlMs: 60_000,
  });

  const settleArgs = (f: ReturnType<typeof fixture>, reservationId: string, actualMicros: number, usageEventId = randomUUID()) => ({
    reservationId,
    actualMicros,
    usageEventId,
    model: 'sim-mini',
    at: new Date('2026-11-24T10:00:00Z'),
    taskId: f.taskId,
    tenantId: f.tenantId,
    scopes: f.scopes,
  });

  it('reserves in every scope and reports what remains', async () => {
    const f = fixture();
    const r = await ledger.reserve(reserveArgs(f, 300));
    expect(r).toEqual({ ok: true, remainingMicros: { [f.scopes[0]!.id]: 700, [f.scopes[1]!.id]: 4_700 }, crossedLow: [] });
    expect(await ledger.scope(f.scopes[0]!.id)).toEqual({ limitMicros: 1_000, spentMicros: 0, reservedMicros: 300 });
    expect(await ledger.scope(f.scopes[1]!.id)).toEqual({ limitMicros: 5_000, spentMicros: 0, reservedMicros: 300 });
    expect(await ledger.scope('task:nobody')).toEqual({ spentMicros: 0, reservedMicros: 0 });
  });

  it('refuses in every scope when one would overshoot, naming the first such scope', async () => {
    const f = fixture([1_000, 500]);
    expect(await ledger.reserve(reserveArgs(f, 400))).toMatchObject({ ok: true });
    const refused = await ledger.reserve(reserveArgs(f, 200));
    expect(refused).toEqual({ ok: false, reason: 'budget', scope: f.scopes[1]!.id, limitMicros: 500, spentMicros: 0, reservedMicros: 400 });
    expect((await ledger.scope(f.scopes[0]!.id)).reservedMicros).toBe(400);
    // Exactly up to the limit fits.
    expect(await ledger.reserve(reserveArgs(f, 100))).toMatchObject({ ok: true, remainingMicros: { [f.scopes[1]!.id]: 0 } });
  });

  it('answers a repeated reserve with the first outcome, granted or refused, and reserves once', async () => {
    const f = fixture([1_000]);
    const id = randomUUID();
    const first = await ledger.reserve(reserveArgs(f, 600, id));
    expect(await ledger.reserve(reserveArgs(f, 600, id))).toEqual(first);
    expect((await ledger.scope(f.scopes[0]!.id)).reservedMicros).toBe(600);

    const refusedId = randomUUID();
    const refused = await ledger.reserve(reserveArgs(f, 500, refusedId));
    expect(refused).toMatchObject({ ok: false, reason: 'budget' });
    await ledger.release(id);
    // Room freed up, but the refused id stays refused.
    expect(await ledger.reserve(reserveArgs(f, 500, refusedId))).toEqual(refused);
    expect((await ledger.scope(f.scopes[0]!.id)).reservedMicros).toBe(0);
  });

  it('reports each scope crossing its low watermark once', async () => {
    const f = fixture([1_000, 10_000]);
    const a = await ledger.reserve({ ...reserveArgs(f, 700), lowWatermark: 0.25 });
    expect(a).toMatchObject({ ok: true, crossedLow: [] });
    const b = await ledger.reserve({ ...reserveArgs(f, 100), lowWatermark: 0.25 });
    expect(b).toMatchObject({ ok: true, crossedLow: [f.scopes[0]!.id] });
    const c = await ledger.reserve({ ...reserveArgs(f, 100), lowWatermark: 0.25 });
    expect(c).toMatchObject({ ok: true, crossedLow: [] });
  });

  it('settles into the scopes and the spend totals, once', async () => {
    const f = fixture();
    const id = randomUUID();
    await ledger.reserve(reserveArgs(f, 400, id));
    const usage = randomUUID();
    expect(await ledger.settle(settleArgs(f, id, 250, usage))).toEqual({
      applied: true,
      covered: true,
      taskTotalMicros: 250,
      tenantTotalMicros: 250,
    });
    expect(await ledger.scope(f.scopes[0]!.id)).toEqual({ limitMicros: 1_000, spentMicros: 250, reservedMicros: 0 });
    expect(await ledger.settle(settleArgs(f, id, 250, usage))).toMatchObject({ applied: false, taskTotalMicros: 250 });
    // Another usage event for the same reservation is a second settle of it: not charged.
    expect(await ledger.settle(settleArgs(f, id, 250))).toMatchObject({ applied: false });
    expect(await env.store.spend.taskTotal(f.taskId)).toBe(250);
    expect(await env.store.spend.tenantTotal(f.tenantId)).toBe(250);
    expect(await env.store.spend.tenantByModel(f.tenantId)).toEqual({ 'sim-mini': 250 });
    expect(await env.store.spend.tenantByDay(f.tenantId, '2026-11-24')).toBe(250);
    expect(await ledger.release(id)).toBe(0);
    expect((await ledger.reservation(id))?.status).toBe('settled');
  });

  it('shares the charge-once record with SpendLedger.record', async () => {
    const f = fixture();
    const id = randomUUID();
    await ledger.reserve(reserveArgs(f, 400, id));
    const usageEventId = randomUUID();
    await env.store.spend.record({ usageEventId, taskId: f.taskId, tenantId: f.tenantId, model: 'sim-mini', costMicros: 90 });
    expect(await ledger.settle(settleArgs(f, id, 90, usageEventId))).toMatchObject({ applied: false, taskTotalMicros: 90 });
    expect(await ledger.release(id)).toBe(400);
  });

  it('charges an expired, released or unknown reservation anyway, uncovered', async () => {
    const f = fixture([1_000]);
    const expired = randomUUID();
    await ledger.reserve({ ...reserveArgs(f, 800, expired), ttlMs: 1_000 });
    clock += 1_000;
    expect(await ledger.sweepExpired([f.scopes[0]!.id])).toBe(1);
    expect((await ledger.scope(f.scopes[0]!.id)).reservedMicros).toBe(0);
    expect(await ledger.settle(settleArgs(f, expired, 300))).toMatchObject({ applied: true, covered: false, taskTotalMicros: 300 });

    const released = randomUUID();
    await ledger.reserve(reserveArgs(f, 100, released));
    expect(await ledger.release(released)).toBe(100);
    expect(await ledger.settle(settleArgs(f, released, 50))).toMatchObject({ applied: true, covered: false, taskTotalMicros: 350 });

    expect(await ledger.settle(settleArgs(f, randomUUID(), 25))).toMatchObject({ applied: true, covered: false, taskTotalMicros: 375 });
    expect(await ledger.scope(f.scopes[0]!.id)).toMatchObject({ spentMicros: 375, reservedMicros: 0 });
  });

  it('releases expired holds lazily on the next reserve of the scope', async () => {
    const f = fixture([1_000]);
    await ledger.reserve({ ...reserveArgs(f, 900), ttlMs: 5_000 });
    expect(await ledger.reserve(reserveArgs(f, 500))).toMatchObject({ ok: false, reservedMicros: 900 });
    clock += 4_999;
    expect(await ledger.reserve(reserveArgs(f, 500))).toMatchObject({ ok: false });
    clock += 1;
    expect(await ledger.reserve(reserveArgs(f, 500))).toMatchObject({ ok: true, remainingMicros: { [f.scopes[0]!.id]: 500 } });
  });

  it('releases once, and a release before the reserve closes the id', async () => {
    const f = fixture([1_000]);
    const id = randomUUID();
    await ledger.reserve(reserveArgs(f, 400, id));
    expect(await ledger.release(id)).toBe(400);
    expect(await ledger.release(id)).toBe(0);
    expect((await ledger.scope(f.scopes[0]!.id)).reservedMicros).toBe(0);

    const early = randomUUID();
    expect(await ledger.release(early)).toBe(0);
    expect(await ledger.reserve(reserveArgs(f, 100, early))).toEqual({ ok: false, reason: 'closed' });
    expect((await ledger.scope(f.scopes[0]!.id)).reservedMicros).toBe(0);
  });

  it('rejects a settle for another task or other scopes than the reservation holds, in any order', async () => {
    const f = fixture();
    const id = randomUUID();
    await ledger.reserve(reserveArgs(f, 100, id));
    await expect(ledger.settle({ ...settleArgs(f, id, 10), scopes: f.scopes.slice(0, 1) })).rejects.toThrow(RangeError);
    await expect(ledger.settle({ ...settleArgs(f, id, 10), taskId: randomUUID() })).rejects.toThrow(RangeError);
    expect(await env.store.spend.taskTotal(f.taskId)).toBe(0);
    // The same scopes in another order are the same reservation.
    expect(await ledger.settle({ ...settleArgs(f, id, 10), scopes: [...f.scopes].reverse() })).toMatchObject({ applied: true, covered: true });
    expect((await ledger.scope(f.scopes[1]!.id)).reservedMicros).toBe(0);
  });

  it('keeps the counters of a scope with a TTL for that long', async () => {
    const f = fixture([1_000]);
    const scopes = [{ ...f.scopes[0]!, ttlSeconds: 172_800 }];
    const id = randomUUID();
    await ledger.reserve({ ...reserveArgs(f, 100, id), scopes });
    const keys = new KeySpace(env.prefix);
    const ttl = await env.raw.ttl(keys.budgetScope(scopes[0]!.id));
    expect(ttl).toBeGreaterThan(172_700);
    expect(await env.raw.ttl(keys.budgetScopeHolds(scopes[0]!.id))).toBeGreaterThan(172_700);
    await ledger.settle({ ...settleArgs(f, id, 10), scopes });
    expect(await env.raw.ttl(keys.budgetScope(scopes[0]!.id))).toBeGreaterThan(172_700);
    expect(await env.raw.ttl(keys.budgetReservation(id))).toBeGreaterThan(0);
  });

  it('is wired into the StateStore', async () => {
    const f = fixture([1_000]);
    const id = randomUUID();
    expect(await env.store.budgets.reserve(reserveArgs(f, 10, id))).toMatchObject({ ok: true });
    expect(await env.store.budgets.reservation(id)).toMatchObject({ status: 'reserved', amountMicros: 10, scopeIds: [f.scopes[0]!.id] });
  });

  it('rejects bad input before touching Redis', async () => {
    const f = fixture();
    await expect(ledger.reserve(reserveArgs(f, -1))).rejects.toThrow(RangeError);
    await expect(ledger.reserve(reserveArgs(f, 1.5))).rejects.toThrow(RangeError);
    await expect(ledger.reserve({ ...reserveArgs(f, 1), scopes: [f.scopes[0]!, f.scopes[0]!] })).rejects.toThrow(/twice/);
    await expect(ledger.reserve({ ...reserveArgs(f, 1), ttlMs: 0 })).rejects.toThrow(RangeError);
    await expect(ledger.reserve({ ...reserveArgs(f, 1), lowWatermark: 2 })).rejects.toThrow(RangeError);
    await expect(ledger.reserve({ ...reserveArgs(f, 1), reservationId: 'a b' })).rejects.toThrow(RangeError);
    await expect(ledger.settle(settleArgs(f, randomUUID(), -5))).rejects.toThrow(RangeError);
    expect((await ledger.scope(f.scopes[0]!.id)).reservedMicros).toBe(0);
  });
});
