import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { KeySpace } from '../keys';
import { RateLimiter, type RateScope, type TakeResult } from './rate-limiter';
import type { BatonRedis } from '../lua/lua-script';
import { stateDeps } from '../state-deps';
import { rawClient, useStateTestEnv } from '../testing/redis-test-env';

/*
 * Model-based: random programs of takes / refunds / clock advances / re-sends by several
 * actors against a few scopes, each step checked against a reference GCRA in plain
 * TypeScript. Lua and JavaScript both compute in IEEE doubles and the TAT is stored with
 * 17 significant digits, so the two agree exactly, not approximately.
 */

const ACTORS = 3;
const SCOPE_COUNT = 3;
const OPS = 8;
const EPSILON_MS = 0.001;

type Step =
  | { kind: 'take'; actor: number; op: number }
  | { kind: 'refund'; actor: number; op: number; amounts: number[] }
  | { kind: 'advance'; ms: number }
  | { kind: 'resend'; back: number };

interface Program {
  scopes: { limit: number; windowMs: number }[];
  /** Per op id: its scopes (indexes, in order) and costs; a take of that id always asks the same. */
  ops: { scopes: number[]; costs: number[] }[];
  steps: Step[];
}

const actor = fc.integer({ min: 0, max: ACTORS - 1 });
const op = fc.integer({ min: 0, max: OPS - 1 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('take' as const), actor, op }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), actor, op, amounts: fc.array(fc.nat(4), { minLength: SCOPE_COUNT, maxLength: SCOPE_COUNT }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 8_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resend' as const), back: fc.integer({ min: 1, max: 4 }) }) },
);

const programArb: fc.Arbitrary<Program> = fc
  .record({
    scopes: fc.array(fc.record({ limit: fc.integer({ min: 2, max: 7 }), windowMs: fc.constantFrom(6_000, 10_000, 60_000) }), {
      minLength: SCOPE_COUNT,
      maxLength: SCOPE_COUNT,
    }),
    ops: fc.array(
      fc.record({
        scopes: fc.uniqueArray(fc.integer({ min: 0, max: SCOPE_COUNT - 1 }), { minLength: 1, maxLength: SCOPE_COUNT }),
        costs: fc.array(fc.nat(4), { minLength: SCOPE_COUNT, maxLength: SCOPE_COUNT }),
      }),
      { minLength: OPS, maxLength: OPS },
    ),
    steps: fc.array(stepArb, { minLength: 4, maxLength: 30, size: 'medium' }),
  })
  .map((p) => ({
    ...p,
    // Costs above a limit are rejected before Redis; keep every take valid.
    ops: p.ops.map((o) => ({ scopes: o.scopes, costs: o.scopes.map((s, i) => Math.min(o.costs[i]!, p.scopes[s]!.limit)) })),
  }));

/** The reference: the same GCRA, in memory. */
class Model {
  readonly tats = new Map<string, number>();
  readonly markers = new Map<string, { costs: number[]; refundedBy?: string }>();

  constructor(private readonly scopes: RateScope[]) {}

  take(opId: string, idx: number[], costs: number[], now: number): TakeResult {
    if (this.markers.has(opId)) return { ok: true };
    const next: number[] = [];
    let worst = 0;
    let worstAt = -1;
    idx.forEach((s, i) => {
      const { id, limit, windowMs } = this.scopes[s]!;
      const tat = Math.max(this.tats.get(id) ?? 0, now);
      next[i] = tat + (costs[i]! * windowMs) / limit;
      const wait = next[i]! - windowMs - now;
      if (wait > EPSILON_MS && wait > worst) {
        worst = wait;
        worstAt = i;
      }
    });
    if (worstAt >= 0) return { ok: false, scope: this.scopes[idx[worstAt]!]!.id, retryAfterMs: Math.ceil(worst) };
    idx.forEach((s, i) => {
      if (costs[i]! > 0) this.tats.set(this.scopes[s]!.id, next[i]!);
    });
    this.markers.set(opId, { costs: [...costs] });
    return { ok: true };
  }

  refund(opId: string, idx: number[], amounts: number[], now: number, refundOpId: string): boolean {
    const m = this.markers.get(opId);
    if (!m) return false;
    if (m.refundedBy !== undefined) return m.refundedBy === refundOpId;
    idx.forEach((s, i) => {
      const { id, limit, windowMs } = this.scopes[s]!;
      const amount = Math.min(amounts[i]!, m.costs[i]!);
      const tat = this.tats.get(id) ?? 0;
      if (amount > 0 && tat > now) {
        const back = tat - (amount * windowMs) / limit;
        if (back <= now) this.tats.delete(id);
        else this.tats.set(id, back);
      }
    });
    m.refundedBy = refundOpId;
    return true;
  }
}

function same(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) throw new Error(`${what}: got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`);
}

describe('RateLimiter: random interleavings against a reference GCRA (real Redis)', () => {
  const env = useStateTestEnv('rate-property');
  const clients: BatonRedis[] = [];
  let clock = Date.parse('2026-11-24T10:00:00Z');
  let opId = '';
  let runs = 0;
  let steps = 0;
  let refused = 0;
  let resends = 0;

  beforeAll(async () => {
    for (let i = 0; i < ACTORS; i += 1) clients.push(await rawClient());
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit()));
  });

  async function runProgram(p: Program): Promise<void> {
    runs += 1;
    const keys = new KeySpace(`${env.prefix}${runs}:`);
    const limiters = clients.map((redis) => new RateLimiter(stateDeps(redis, { keys, now: () => new Date(clock), newOpId: () => opId })));
    const scopes: RateScope[] = p.scopes.map((s, i) => ({ id: `scope-${i}`, ...s }));
    const model = new Model(scopes);
    const opIds = p.ops.map((_, i) => `take-${i}`);
    const raw = clients[0]!;
    const sent: { call: () => Promise<unknown>; predict: () => unknown; at: number; opId: string; answer: unknown; changed: boolean }[] = [];
    let refunds = 0;

    async function tats(): Promise<(string | null)[]> {
      return raw.mget(...scopes.map((s) => keys.rateScope(s.id)));
    }

    async function snapshot(): Promise<unknown> {
      const pipe = raw.pipeline();
      pipe.mget(...scopes.map((s) => keys.rateScope(s.id)));
      for (const id of opIds) pipe.hgetall(keys.rateOp(id));
      return ((await pipe.exec()) ?? []).map(([err, value]) => {
        if (err) throw err;
        return value;
      });
    }

    async function check(where: string): Promise<void> {
      const stored = await tats();
      scopes.forEach((s, i) => {
        const text = stored[i] ?? null;
        const want = model.tats.get(s.id);
        // Redis expires a key once its TAT is (in real time) past; the fake clock stands
        // still meanwhile, so a TAT a few ms ahead may already be gone: the same room.
        if (text === null && want !== undefined && want - clock < 50) model.tats.delete(s.id);
        same(text === null ? undefined : Number(text), model.tats.get(s.id), `${where}, ${s.id} TAT`);
        // The GCRA bound: never more than one window of cost outstanding.
        if (text !== null && Number(text) > clock + s.windowMs + EPSILON_MS) throw new Error(`${where}, ${s.id}: TAT ${text} beyond now + window`);
      });
    }

    try {
      for (const [index, step] of p.steps.entries()) {
        steps += 1;
        const where = `step ${index} (${JSON.stringify(step)})`;
        if (step.kind === 'advance') {
          clock += step.ms;
          continue;
        }
        if (step.kind === 'resend') {
          const prev = sent[sent.length - step.back];
          if (!prev) continue;
          resends += 1;
          const before = await snapshot();
          const now = clock;
          clock = prev.at;
          opId = prev.opId;
          let answer: unknown;
          let expected: unknown;
          try {
            expected = prev.predict();
            answer = await prev.call();
          } finally {
            clock = now;
          }
          same(answer, expected, `${where}: re-sent answer`);
          if (prev.changed) {
            // A re-send of a take that was admitted, or a refund that applied: same answer, no change.
            same(answer, prev.answer, `${where}: re-sent answer`);
            same(await snapshot(), before, `${where}: state after the re-send`);
          }
          await check(where);
          continue;
        }
        const o = p.ops[step.op]!;
        const limiter = limiters[step.actor]!;
        const scopeList = o.scopes.map((s) => scopes[s]!);
        let call: () => Promise<unknown>;
        let predict: () => unknown;
        if (step.kind === 'take') {
          opId = '';
          const input = { opId: opIds[step.op]!, scopes: scopeList, costs: o.costs };
          call = () => limiter.take(input);
          predict = () => model.take(opIds[step.op]!, o.scopes, o.costs, clock);
        } else {
          refunds += 1;
          opId = `refund-${refunds}`;
          const amounts = o.scopes.map((_, i) => step.amounts[i]!);
          const input = { opId: opIds[step.op]!, scopes: scopeList, amounts };
          const refundOpId = opId;
          call = () => limiter.refund(input);
          predict = () => model.refund(opIds[step.op]!, o.scopes, amounts, clock, refundOpId);
        }
        const expected = predict();
        const answer = await call();
        same(answer, expected, `${where}: answer`);
        if (step.kind === 'take' && !(answer as TakeResult).ok) refused += 1;
        const changed = answer === true || (step.kind === 'take' && (answer as TakeResult).ok);
        sent.push({ call, predict, at: clock, opId, answer, changed });
        await check(where);
      }
    } finally {
      await raw.del(...scopes.map((s) => keys.rateScope(s.id)), ...opIds.map((id) => keys.rateOp(id)));
    }
  }

  it('agrees with the reference, all or nothing, and ignores re-sends, over 1 000 random programs', async () => {
    await fc.assert(fc.asyncProperty(programArb, runProgram), { numRuns: 1_000 });
    expect(runs).toBeGreaterThanOrEqual(1_000);
    expect(refused).toBeGreaterThan(500);
    expect(resends).toBeGreaterThan(500);
    process.stdout.write(`rate property: ${runs} programs, ${steps} steps, ${refused} refusals, ${resends} re-sends\n`);
  });
});
