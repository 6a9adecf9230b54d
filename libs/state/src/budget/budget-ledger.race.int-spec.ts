import { randomUUID } from 'node:crypto';
import type { BudgetScope } from './budget-ledger';
import { StateStore } from '../state-store';
import { ReplyDroppingProxy } from '../testing/reply-dropping-proxy';
import { TEST_REDIS_URL, useStateTestEnv } from '../testing/redis-test-env';

/*
 * Live races: many agents, each on its own connection, reserve → settle (or release) until
 * a budget refuses them. A monitor polls the shared scopes all along. Then the same with
 * replies dropped mid-command, so ioredis re-sends scripts Redis already ran.
 */

const DAY = new Date('2026-11-24T12:00:00Z');

interface RaceFigures {
  reservations: number;
  refused: number;
  settled: number;
  released: number;
  settledMicros: number;
  releasedMicros: number;
  maxSeen: Record<string, number>;
}

function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

describe('BudgetLedger live races (real Redis)', () => {
  const upstream = new URL(TEST_REDIS_URL);
  const proxy = new ReplyDroppingProxy({ host: upstream.hostname, port: Number(upstream.port || 6379) });
  let proxyUrl = '';
  const env = useStateTestEnv('budget-race');

  beforeAll(async () => {
    proxyUrl = await proxy.start();
  });

  afterAll(async () => {
    await proxy.stop();
  });

  /**
   * Runs one agent per store against one tenant's daily budget (and the global day, and
   * each agent's task budget) until each is refused once; checks the invariants and
   * returns the figures. With `dropReplies`, drops replies at random moments (see below).
   */
  async function race(stores: StateStore[], tenantLimit: number, dropReplies = false): Promise<RaceFigures> {
    const tenantId = `race-${randomUUID().slice(0, 8)}`;
    const tenantScope: BudgetScope = { id: `tenant:${tenantId}:day:2026-11-24`, limitMicros: tenantLimit, ttlSeconds: 3_600 };
    const globalScope: BudgetScope = { id: `global:day:${tenantId}`, limitMicros: Math.floor(tenantLimit * 1.5) };
    const figures: RaceFigures = { reservations: 0, refused: 0, settled: 0, released: 0, settledMicros: 0, releasedMicros: 0, maxSeen: {} };
    const perTask = new Map<string, number>();
    const taskLimit = Math.floor((tenantLimit / stores.length) * 1.5);

    // The monitor: spent + reserved of the shared scopes, read atomically, all along.
    let running = true;
    const violations: string[] = [];
    const monitor = (async () => {
      while (running) {
        for (const s of [tenantScope, globalScope]) {
          const v = await env.store.budgets.scope(s.id);
          const used = v.spentMicros + v.reservedMicros;
          figures.maxSeen[s.id] = Math.max(figures.maxSeen[s.id] ?? 0, used);
          if (used > s.limitMicros) violations.push(`${s.id}: ${used} > ${s.limitMicros}`);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    // When each still-running agent last completed a call.
    const progress = new Map<number, number>();
    const dropper = (async () => {
      while (running && dropReplies) {
        await new Promise((resolve) => setTimeout(resolve, randomInt(1, 10)));
        // The proxy drops the next reply of any of its connections. Arming only while most
        // agents make progress keeps drops on command replies: when the only connections
        // talking are reconnecting ones, every drop would hit their handshake and starve them.
        const now = Date.now();
        const stuck = [...progress.values()].filter((at) => now - at > 25).length;
        if (progress.size >= 4 && stuck <= progress.size / 4) proxy.dropNextReply();
      }
    })();

    const agents = stores.map(async (store, agent) => {
      progress.set(agent, Date.now());
      const taskId = randomUUID();
      const taskScope: BudgetScope = { id: `task:${taskId}`, limitMicros: taskLimit };
      const scopes = [taskScope, tenantScope, globalScope];
      let spent = 0;
      for (;;) {
        const reservationId = randomUUID();
        const amountMicros = randomInt(1_000, 20_000);
        const r = await store.budgets.reserve({ reservationId, taskId, tenantId, model: 'sim-mini', amountMicros, scopes, ttlMs: 120_000 });
        progress.set(agent, Date.now());
        if (!r.ok) {
          figures.refused += 1;
          break;
        }
        figures.reservations += 1;
        if (Math.random() < 0.8) {
          const actualMicros = randomInt(0, amountMicros);
          const s = await store.budgets.settle({ reservationId, actualMicros, usageEventId: randomUUID(), model: 'sim-mini', at: DAY, taskId, tenantId, scopes });
          // Each settle is its reservation's only one: a re-sent run must answer applied and covered too.
          expect(s).toMatchObject({ applied: true, covered: true });
          figures.settled += 1;
          figures.settledMicros += actualMicros;
          spent += actualMicros;
          expect(s.taskTotalMicros).toBe(spent);
        } else {
          const released = await store.budgets.release(reservationId);
          expect(released).toBe(amountMicros);
          figures.released += 1;
          figures.releasedMicros += released;
        }
        progress.set(agent, Date.now());
      }
      progress.delete(agent);
      perTask.set(taskId, spent);
    });
    try {
      await Promise.all(agents);
    } finally {
      running = false;
      await monitor;
      await dropper;
    }

    expect(violations).toEqual([]);
    for (const s of [tenantScope, globalScope]) {
      const v = await env.store.budgets.scope(s.id);
      expect(v.reservedMicros).toBe(0);
      expect(v.spentMicros).toBe(figures.settledMicros);
      expect(v.spentMicros).toBeLessThanOrEqual(s.limitMicros);
    }
    expect(await env.store.spend.tenantTotal(tenantId)).toBe(figures.settledMicros);
    expect(await env.store.spend.tenantByDay(tenantId, '2026-11-24')).toBe(figures.settledMicros);
    for (const [taskId, spent] of perTask) {
      expect(await env.store.spend.taskTotal(taskId)).toBe(spent);
      expect(await env.store.budgets.scope(`task:${taskId}`)).toEqual({ limitMicros: taskLimit, spentMicros: spent, reservedMicros: 0 });
    }
    // Every agent stopped on a refusal, and the budget was used up to near its limit.
    expect(figures.refused).toBe(stores.length);
    expect(figures.maxSeen[tenantScope.id]).toBeGreaterThan(tenantLimit - 20_000 * stores.length);
    return figures;
  }

  async function connectMany(n: number, url: string): Promise<StateStore[]> {
    return Promise.all(Array.from({ length: n }, (_, i) => StateStore.connect(url, { name: `budget-agent-${i}`, keyPrefix: env.prefix })));
  }

  it('50 agents on their own connections never overspend and are charged exactly what they settled', async () => {
    const stores = await connectMany(50, TEST_REDIS_URL);
    try {
      const f = await race(stores, 10_000_000);
      expect(f.reservations).toBeGreaterThan(1_000);
      process.stdout.write(`budget race: ${JSON.stringify(f)}\n`);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('the same with replies dropped at random mid-command: re-sent commands neither overspend nor charge twice', async () => {
    const stores = await connectMany(16, proxyUrl);
    try {
      // Load every script on every connection before any reply is dropped.
      for (const s of stores) {
        const scopes = [{ id: `warm:${randomUUID()}`, limitMicros: 10 }];
        const w = { reservationId: randomUUID(), taskId: randomUUID(), tenantId: 'warm', model: 'm', amountMicros: 1, scopes, ttlMs: 1_000 };
        await s.budgets.reserve(w);
        await s.budgets.settle({ ...w, actualMicros: 1, usageEventId: randomUUID() });
        await s.budgets.release(randomUUID());
      }
      const before = proxy.dropped;
      const f = await race(stores, 6_000_000, true);
      // A drop may still be armed: let a harmless read (re-sent if need be) use it up.
      await stores[0]!.budgets.scope('warm:disarm');
      const dropped = proxy.dropped - before;
      expect(dropped).toBeGreaterThan(20);
      process.stdout.write(`budget race through the proxy: ${dropped} replies dropped, ${JSON.stringify(f)}\n`);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
