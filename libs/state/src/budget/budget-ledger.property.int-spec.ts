import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { BudgetLedger, type BudgetScope, type ReserveResult, type SettleResult } from './budget-ledger';
import { KeySpace } from '../keys';
import type { BatonRedis } from '../lua/lua-script';
import { stateDeps } from '../state-deps';
import { rawClient, useStateTestEnv } from '../testing/redis-test-env';

/*
 * Model-based: random programs of reserve / settle / release / clock advances / sweeps /
 * re-sends, run by several actors (each its own connection) against a few small scopes,
 * checked after every step against a plain in-memory model of the ledger. A re-send
 * replays an earlier command exactly as ioredis would: same arguments, same op id, same
 * clock reading, after whatever the other actors did in between.
 */

const ACTORS = 3;
const SCOPE_COUNT = 3;
const RESERVATIONS = 6;
const TASKS = ['task-a', 'task-b'];
const TENANT = 'acme';
const DAY = new Date('2026-11-24T12:00:00Z');

type Op =
  | { kind: 'reserve'; actor: number; res: number; amount: number; ttlMs: number }
  | { kind: 'settle'; actor: number; res: number; percent: number; usage: number | 'fresh' }
  | { kind: 'release'; actor: number; res: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'sweep'; actor: number; scopes: number[] }
  | { kind: 'resend'; back: number };

interface Program {
  limits: number[];
  /** Per reservation: indexes of its scopes (in order) and its task. */
  reservations: { scopes: number[]; task: string }[];
  ops: Op[];
}

const scopeSubset = fc.uniqueArray(fc.integer({ min: 0, max: SCOPE_COUNT - 1 }), { minLength: 1, maxLength: SCOPE_COUNT });
const actor = fc.integer({ min: 0, max: ACTORS - 1 });
const res = fc.integer({ min: 0, max: RESERVATIONS - 1 });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('reserve' as const), actor, res, amount: fc.integer({ min: 0, max: 14 }), ttlMs: fc.integer({ min: 1, max: 5 }).map((s) => s * 1_000) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      actor,
      res,
      percent: fc.integer({ min: 0, max: 100 }),
      usage: fc.oneof({ weight: 4, arbitrary: fc.constant('fresh' as const) }, { weight: 1, arbitrary: fc.nat(5) }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), actor, res }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sweep' as const), actor, scopes: scopeSubset }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('resend' as const), back: fc.integer({ min: 1, max: 4 }) }) },
);

const programArb: fc.Arbitrary<Program> = fc.record({
  limits: fc.array(fc.integer({ min: 5, max: 40 }), { minLength: SCOPE_COUNT, maxLength: SCOPE_COUNT }),
  reservations: fc.array(fc.record({ scopes: scopeSubset, task: fc.constantFrom(...TASKS) }), { minLength: RESERVATIONS, maxLength: RESERVATIONS }),
  ops: fc.array(opArb, { minLength: 4, maxLength: 30, size: 'medium' }),
});

/* ---------------------------------------------------------------- the model */

interface Hold {
  amount: number;
  expiresAt: number;
}

interface ModelScope {
  limit: number;
  spent: number;
  holds: Map<string, Hold>;
  low: boolean;
  /** Micro-dollars charged while this scope held no reservation for them: what may exceed the limit. */
  uncovered: number;
}

interface ModelRecord {
  status: 'reserved' | 'refused' | 'settled' | 'released';
  outcome?: ReserveResult;
  amount?: number;
  settledBy?: string;
  covered?: boolean;
  releasedBy?: string;
  released?: number;
}

class Model {
  readonly scopes: ModelScope[];
  readonly records = new Map<string, ModelRecord>();
  readonly usage = new Map<string, string>();
  readonly taskTotals = new Map<string, number>();
  tenantTotal = 0;

  constructor(
    limits: number[],
    private readonly scopeIds: string[],
  ) {
    this.scopes = limits.map((limit) => ({ limit, spent: 0, holds: new Map(), low: false, uncovered: 0 }));
  }

  reserved(s: ModelScope): number {
    let sum = 0;
    for (const h of s.holds.values()) sum += h.amount;
    return sum;
  }

  sweep(indexes: number[], now: number): void {
    for (const i of indexes) {
      for (const [id, h] of this.scopes[i]!.holds) if (h.expiresAt <= now) this.scopes[i]!.holds.delete(id);
    }
  }

  reserve(id: string, indexes: number[], amount: number, now: number, ttlMs: number): ReserveResult {
    const rec = this.records.get(id);
    if (rec) return rec.outcome ?? { ok: false, reason: 'closed' };
    this.sweep(indexes, now);
    for (const i of indexes) {
      const s = this.scopes[i]!;
      const reserved = this.reserved(s);
      if (s.spent + reserved + amount > s.limit) {
        const outcome: ReserveResult = {
          ok: false,
          reason: 'budget',
          scope: this.scopeIds[i]!,
          limitMicros: s.limit,
          spentMicros: s.spent,
          reservedMicros: reserved,
        };
        this.records.set(id, { status: 'refused', outcome, amount });
        return outcome;
      }
    }
    const remainingMicros: Record<string, number> = {};
    const crossedLow: string[] = [];
    for (const i of indexes) {
      const s = this.scopes[i]!;
      const remaining = s.limit - s.spent - this.reserved(s) - amount;
      s.holds.set(id, { amount, expiresAt: now + ttlMs });
      remainingMicros[this.scopeIds[i]!] = remaining;
      if (remaining < Math.ceil(s.limit * 0.2) && !s.low) {
        s.low = true;
        crossedLow.push(this.scopeIds[i]!);
      }
    }
    const outcome: ReserveResult = { ok: true, remainingMicros, crossedLow };
    this.records.set(id, { status: 'reserved', outcome, amount });
    return outcome;
  }

  settle(id: string, indexes: number[], task: string, actual: number, usageId: string, opId: string): Pick<SettleResult, 'applied' | 'covered'> {
    const rec = this.records.get(id);
    if (rec?.status === 'settled') return rec.settledBy === opId ? { applied: true, covered: rec.covered! } : { applied: false, covered: false };
    const prior = this.usage.get(`${task}|${usageId}`);
    if (prior !== undefined) return { applied: prior === opId, covered: false };
    this.usage.set(`${task}|${usageId}`, opId);
    this.taskTotals.set(task, (this.taskTotals.get(task) ?? 0) + actual);
    this.tenantTotal += actual;
    let covered = false;
    for (const i of indexes) {
      const s = this.scopes[i]!;
      if (s.holds.delete(id)) covered = true;
      else s.uncovered += actual;
      s.spent += actual;
    }
    this.records.set(id, { ...rec, status: 'settled', settledBy: opId, covered });
    return { applied: true, covered };
  }

  release(id: string, indexes: number[], opId: string): number {
    const rec = this.records.get(id);
    if (rec?.releasedBy === opId) return rec.released!;
    if (rec && rec.status !== 'reserved') return 0;
    let released = 0;
    // Without a record the caller knows no scopes, so nothing can be freed (and nothing is held).
    if (rec) {
      for (const i of indexes) {
        const h = this.scopes[i]!.holds.get(id);
        if (h) {
          released = h.amount;
          this.scopes[i]!.holds.delete(id);
        }
      }
    }
    this.records.set(id, { ...rec, status: 'released', releasedBy: opId, released });
    return released;
  }
}

/* ---------------------------------------------------------------- the spec */

/** Deep equality without Jest's diffing machinery: thousands of steps call it. */
function same(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) throw new Error(`${what}: got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`);
}

describe('BudgetLedger: random interleavings against a model (real Redis)', () => {
  const env = useStateTestEnv('budget-property');
  const clients: BatonRedis[] = [];
  let clock = DAY.getTime();
  let opId = '';
  let runs = 0;
  let steps = 0;
  let resends = 0;
  let refusals = 0;
  let uncoveredSettles = 0;

  beforeAll(async () => {
    for (let i = 0; i < ACTORS; i += 1) clients.push(await rawClient());
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit()));
  });

  interface Sent {
    op: Extract<Op, { kind: 'reserve' | 'settle' | 'release' | 'sweep' }>;
    call: () => Promise<unknown>;
    at: number;
    opId: string;
    answer: unknown;
  }

  async function runProgram(p: Program): Promise<void> {
    runs += 1;
    const keys = new KeySpace(`${env.prefix}${runs}:`);
    const ledgers = clients.map((redis) => new BudgetLedger(stateDeps(redis, { keys, now: () => new Date(clock), newOpId: () => opId })));
    const scopeIds = p.limits.map((_, i) => `scope-${i}`);
    const scopes: BudgetScope[] = p.limits.map((limitMicros, i) => ({ id: scopeIds[i]!, limitMicros }));
    const model = new Model(p.limits, scopeIds);
    const resIds = p.reservations.map((_, i) => `res-${i}`);
    const usageIds: string[] = [];
    const sent: Sent[] = [];
    let ops = 0;
    const raw = clients[0]!;

    const scopesOf = (r: number): BudgetScope[] => p.reservations[r]!.scopes.map((i) => scopes[i]!);

    async function snapshot(): Promise<unknown[]> {
      const pipe = raw.pipeline();
      for (const id of scopeIds) {
        pipe.hgetall(keys.budgetScope(id));
        pipe.hgetall(keys.budgetScopeHolds(id));
        pipe.zrange(keys.budgetScopeExpiries(id), 0, -1, 'WITHSCORES');
      }
      for (const id of resIds) pipe.hgetall(keys.budgetReservation(id));
      for (const t of TASKS) {
        pipe.get(keys.taskSpend(t));
        pipe.hgetall(keys.taskUsageEvents(t));
      }
      pipe.get(keys.tenantSpend(TENANT));
      pipe.hgetall(keys.tenantSpendByModel(TENANT));
      pipe.hgetall(keys.tenantSpendByDay(TENANT));
      const replies = (await pipe.exec()) ?? [];
      return replies.map(([err, value]) => {
        if (err) throw err;
        return value;
      });
    }

    async function checkAgainstModel(where: string): Promise<void> {
      const pipe = raw.pipeline();
      for (const id of scopeIds) {
        pipe.hmget(keys.budgetScope(id), 'spent', 'reserved');
        pipe.hgetall(keys.budgetScopeHolds(id));
        pipe.zrange(keys.budgetScopeExpiries(id), 0, -1, 'WITHSCORES');
      }
      for (const t of TASKS) pipe.get(keys.taskSpend(t));
      pipe.get(keys.tenantSpend(TENANT));
      const replies = ((await pipe.exec()) ?? []).map(([err, value]) => {
        if (err) throw err;
        return value;
      });
      scopeIds.forEach((id, i) => {
        const [spentText, reservedText] = replies[3 * i] as [string | null, string | null];
        const holds = replies[3 * i + 1] as Record<string, string>;
        const expiries = replies[3 * i + 2] as string[];
        const s = model.scopes[i]!;
        const spent = Number(spentText ?? 0);
        const reserved = Number(reservedText ?? 0);
        const ctx = `${where}, ${id}`;
        // The invariant: within the limit, plus only what was charged with no hold behind it.
        if (spent + reserved > s.limit + s.uncovered) throw new Error(`${ctx}: spent ${spent} + reserved ${reserved} > limit ${s.limit} (+${s.uncovered} uncovered)`);
        if (s.uncovered === 0 && spent + reserved > s.limit) throw new Error(`${ctx}: over the limit`);
        // No double charge: spent is the sum of the actuals the model charged.
        if (spent !== s.spent) throw new Error(`${ctx}: spent ${spent}, model ${s.spent}`);
        // Reserved is the sum of live holds, the same holds as the model's.
        const heldSum = Object.values(holds).reduce((a, v) => a + Number(v), 0);
        if (reserved !== heldSum) throw new Error(`${ctx}: reserved ${reserved} but holds sum to ${heldSum}`);
        if (reserved !== model.reserved(s)) throw new Error(`${ctx}: reserved ${reserved}, model ${model.reserved(s)}`);
        const want = Object.fromEntries([...s.holds].map(([rid, h]) => [rid, String(h.amount)]));
        same(holds, want, `${ctx} holds`);
        const wantExp: string[] = [];
        [...s.holds].sort((a, b) => a[1].expiresAt - b[1].expiresAt || (a[0] < b[0] ? -1 : 1)).forEach(([rid, h]) => wantExp.push(rid, String(h.expiresAt)));
        same(expiries, wantExp, `${ctx} expiries`);
      });
      TASKS.forEach((t, i) => {
        const total = Number((replies[3 * scopeIds.length + i] as string | null) ?? 0);
        if (total !== (model.taskTotals.get(t) ?? 0)) throw new Error(`${where}: task ${t} total ${total}, model ${model.taskTotals.get(t) ?? 0}`);
      });
      const tenantTotal = Number((replies[3 * scopeIds.length + TASKS.length] as string | null) ?? 0);
      if (tenantTotal !== model.tenantTotal) throw new Error(`${where}: tenant total ${tenantTotal}, model ${model.tenantTotal}`);
    }

    try {
      for (const [step, op] of p.ops.entries()) {
        steps += 1;
        const where = `step ${step} (${JSON.stringify(op)})`;
        if (op.kind === 'advance') {
          clock += op.ms;
          continue;
        }
        if (op.kind === 'resend') {
          const prev = sent[sent.length - op.back];
          if (!prev) continue;
          resends += 1;
          const before = await snapshot();
          const now = clock;
          clock = prev.at;
          opId = prev.opId;
          let answer: unknown;
          try {
            answer = await prev.call();
          } finally {
            clock = now;
          }
          const after = await snapshot();
          same(after, before, `${where}: state after the re-send`);
          if (prev.op.kind === 'settle') {
            const a = answer as SettleResult;
            const b = prev.answer as SettleResult;
            same({ applied: a.applied, covered: a.covered }, { applied: b.applied, covered: b.covered }, `${where}: re-sent settle`);
          } else if (prev.op.kind !== 'sweep') {
            same(answer, prev.answer, `${where}: re-sent answer`);
          }
          await checkAgainstModel(where);
          continue;
        }

        ops += 1;
        opId = `op-${ops}`;
        const ledger = ledgers[op.actor]!;
        let call: () => Promise<unknown>;
        let expected: unknown;
        if (op.kind === 'reserve') {
          const r = p.reservations[op.res]!;
          const input = {
            reservationId: resIds[op.res]!,
            taskId: r.task,
            tenantId: TENANT,
            model: 'sim-mini',
            amountMicros: op.amount,
            scopes: scopesOf(op.res),
            ttlMs: op.ttlMs,
          };
          call = () => ledger.reserve(input);
          expected = model.reserve(resIds[op.res]!, r.scopes, op.amount, clock, op.ttlMs);
          if (!(expected as ReserveResult).ok) refusals += 1;
        } else if (op.kind === 'settle') {
          const r = p.reservations[op.res]!;
          const rec = model.records.get(resIds[op.res]!);
          // Within the reservation; an unknown one settles a small uncovered cost.
          const actual = rec?.amount !== undefined ? Math.floor((rec.amount * op.percent) / 100) : op.percent % 4;
          let usageId: string;
          if (op.usage === 'fresh' || usageIds.length === 0) {
            usageId = `u-${usageIds.length}`;
            usageIds.push(usageId);
          } else {
            usageId = usageIds[op.usage % usageIds.length]!;
          }
          const input = {
            reservationId: resIds[op.res]!,
            actualMicros: actual,
            usageEventId: usageId,
            model: 'sim-mini',
            at: DAY,
            taskId: r.task,
            tenantId: TENANT,
            scopes: scopesOf(op.res),
          };
          call = () => ledger.settle(input);
          const m = model.settle(resIds[op.res]!, r.scopes, r.task, actual, usageId, opId);
          if (m.applied && !m.covered) uncoveredSettles += 1;
          expected = m;
        } else if (op.kind === 'release') {
          call = () => ledger.release(resIds[op.res]!);
          expected = model.release(resIds[op.res]!, p.reservations[op.res]!.scopes, opId);
        } else {
          call = () => ledger.sweepExpired(op.scopes.map((i) => scopeIds[i]!));
          model.sweep(op.scopes, clock);
          expected = undefined;
        }
        const answer = await call();
        if (op.kind === 'settle') {
          const a = answer as SettleResult;
          same({ applied: a.applied, covered: a.covered }, expected, `${where}: settle`);
          const task = p.reservations[op.res]!.task;
          same([a.taskTotalMicros, a.tenantTotalMicros], [model.taskTotals.get(task) ?? 0, model.tenantTotal], `${where}: settle totals`);
        } else if (op.kind !== 'sweep') {
          same(answer, expected, `${where}: answer`);
        }
        sent.push({ op, call, at: clock, opId, answer });
        await checkAgainstModel(where);
      }
    } finally {
      const all = [
        ...scopeIds.flatMap((id) => [keys.budgetScope(id), keys.budgetScopeHolds(id), keys.budgetScopeExpiries(id)]),
        ...resIds.map((id) => keys.budgetReservation(id)),
        ...TASKS.flatMap((t) => [keys.taskSpend(t), keys.taskUsageEvents(t)]),
        keys.tenantSpend(TENANT),
        keys.tenantSpendByModel(TENANT),
        keys.tenantSpendByDay(TENANT),
      ];
      await raw.del(...all);
    }
  }

  it('keeps every scope within its limit, charges once, and ignores re-sends, over 2 000 random programs', async () => {
    await fc.assert(fc.asyncProperty(programArb, runProgram), { numRuns: 2_000 });
    expect(runs).toBeGreaterThanOrEqual(2_000);
    // The programs exercised what they are meant to.
    expect(resends).toBeGreaterThan(1_000);
    expect(refusals).toBeGreaterThan(1_000);
    expect(uncoveredSettles).toBeGreaterThan(100);
    process.stdout.write(`budget property: ${runs} programs, ${steps} steps, ${resends} re-sends, ${refusals} refusals, ${uncoveredSettles} uncovered settles\n`);
  });
});
