import { randomUUID } from 'node:crypto';
import { EscalationStore } from './escalation.store';
import type { NewEscalation } from './escalation-record';
import { KeySpace } from '../keys';
import { stateDeps } from '../state-deps';
import type { BatonRedis } from '../lua/lua-script';
import { StateStore, connectClient } from '../state-store';
import { ReplyDroppingProxy } from '../testing/reply-dropping-proxy';
import { TEST_REDIS_URL, useStateTestEnv } from '../testing/redis-test-env';

const T0 = Date.parse('2025-03-01T12:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

function escalation(extra: Partial<NewEscalation> = {}): NewEscalation {
  return {
    escalationId: randomUUID(),
    taskId: randomUUID(),
    tenantId: 'acme',
    taskType: 'lead.qualify',
    stopReason: 'attempts_exhausted',
    reason: { kind: 'model', code: 'attempts_exhausted', message: 'output failed the schema 3 times' },
    allowed: ['approve', 'reject', 'edit', 'answer'],
    bundle: {
      stepId: 'qualify',
      role: 'sales',
      question: 'The output failed the schema 3 times. Approve, edit or reject?',
      history: [{ attempt: 1, outcome: 'blocked', reason: 'missing score' }],
      stepOutputs: { research: { company: 'Initech' } },
      pendingOutput: { qualified: true },
      spentMicros: 1234,
      stepsRun: 2,
    },
    createdAt: iso(T0),
    expiresAt: iso(T0 + 60_000),
    onTimeout: 'fail',
    ...extra,
  };
}

const approve = { action: 'approve' as const, decidedBy: 'dana' };

describe('EscalationStore (real Redis)', () => {
  const env = useStateTestEnv('escalations-int');
  const esc = (): EscalationStore => env.store.escalations;

  describe('open', () => {
    it('stores the escalation as open and as the task current one, round-tripping every field', async () => {
      const e = escalation();
      const opened = await esc().open(e);
      expect(opened).toEqual({ created: true, record: { ...e, status: 'open' } });
      expect(await esc().get(e.taskId)).toEqual({ ...e, status: 'open' });
      expect(await esc().get(e.taskId, e.escalationId)).toEqual({ ...e, status: 'open' });
    });

    it('is idempotent per escalation id: a second call changes nothing and returns the stored record', async () => {
      const e = escalation({ tenantId: `t-${randomUUID().slice(0, 8)}` });
      await esc().open(e);
      const again = await esc().open({ ...e, expiresAt: iso(T0 + 999_000), bundle: { ...e.bundle, question: 'other' } });
      expect(again).toEqual({ created: false, record: { ...e, status: 'open' } });
      expect(await esc().listOpen(e.tenantId)).toHaveLength(1);
      expect(await esc().dueTimeouts(T0 + 60_000, 1000)).toContainEqual({ taskId: e.taskId, escalationId: e.escalationId });
      expect(await esc().dueTimeouts(T0 + 59_999, 1000)).not.toContainEqual({ taskId: e.taskId, escalationId: e.escalationId });
    });

    it('does not reopen a decided escalation', async () => {
      const e = escalation();
      await esc().open(e);
      await esc().decide(e.taskId, e.escalationId, approve);
      expect((await esc().open(e)).created).toBe(false);
      expect((await esc().get(e.taskId))!.status).toBe('decided');
    });

    it('makes the latest opened escalation the current one', async () => {
      const first = escalation();
      const second = escalation({ taskId: first.taskId });
      await esc().open(first);
      await esc().decide(first.taskId, first.escalationId, approve);
      await esc().open(second);
      expect((await esc().get(first.taskId))!.escalationId).toBe(second.escalationId);
      expect((await esc().get(first.taskId, first.escalationId))!.status).toBe('decided');
    });

    it('refuses an invalid record before touching Redis', async () => {
      await expect(esc().open({ ...escalation(), allowed: [] })).rejects.toThrow();
      await expect(esc().open({ ...escalation(), expiresAt: 'tomorrow' })).rejects.toThrow();
      await expect(esc().open({ ...escalation(), escalationId: 'a b' })).rejects.toThrow(RangeError);
    });
  });

  describe('get', () => {
    it('returns null for a task without escalations and for an unknown escalation id', async () => {
      const e = escalation();
      expect(await esc().get(e.taskId)).toBeNull();
      await esc().open(e);
      expect(await esc().get(e.taskId, randomUUID())).toBeNull();
    });
  });

  describe('decide', () => {
    it('applies to an open escalation, stores the decision with its time and removes it from the indexes', async () => {
      const e = escalation({ tenantId: `t-${randomUUID().slice(0, 8)}` });
      await esc().open(e);
      const decision = { action: 'edit' as const, output: { qualified: false, score: 0 }, decidedBy: 'dana', comment: 'too small' };
      const result = await esc().decide(e.taskId, e.escalationId, decision);
      expect(result.applied).toBe(true);
      expect(result.record).toMatchObject({ status: 'decided', decision });
      expect(Date.parse(result.record!.decision!.decidedAt)).not.toBeNaN();
      expect(await esc().get(e.taskId)).toEqual(result.record);
      expect(await esc().listOpen(e.tenantId)).toEqual([]);
      expect(await esc().dueTimeouts(T0 + 3_600_000, 1000)).not.toContainEqual({ taskId: e.taskId, escalationId: e.escalationId });
    });

    it('does not apply a second decision and answers with the first', async () => {
      const e = escalation();
      await esc().open(e);
      const first = await esc().decide(e.taskId, e.escalationId, { action: 'answer', answer: 'Use the EU price list', decidedBy: 'dana' });
      const second = await esc().decide(e.taskId, e.escalationId, { action: 'reject', decidedBy: 'sam' });
      expect(second).toEqual({ applied: false, record: first.record });
    });

    it('answers not applied and null for an unknown escalation, creating nothing', async () => {
      const taskId = randomUUID();
      const escalationId = randomUUID();
      expect(await esc().decide(taskId, escalationId, approve)).toEqual({ applied: false, record: null });
      expect(await env.raw.exists(new KeySpace(env.prefix).escalation(taskId, escalationId))).toBe(0);
    });

    it('refuses an invalid decision before touching Redis', async () => {
      const e = escalation();
      await esc().open(e);
      await expect(esc().decide(e.taskId, e.escalationId, { action: 'maybe' as 'approve', decidedBy: 'x' })).rejects.toThrow();
      await expect(esc().decide(e.taskId, e.escalationId, { action: 'approve', decidedBy: '' })).rejects.toThrow();
      expect((await esc().get(e.taskId))!.status).toBe('open');
    });

    it('lets exactly one of many concurrent decisions win, across several connections', async () => {
      const e = escalation();
      await esc().open(e);
      const others = await Promise.all([1, 2, 3].map(() => StateStore.connect(TEST_REDIS_URL, { keyPrefix: env.prefix })));
      try {
        const stores = [env.store, ...others];
        const results = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            stores[i % stores.length]!.escalations.decide(e.taskId, e.escalationId, {
              action: i % 2 ? 'approve' : 'reject',
              decidedBy: `reviewer-${i}`,
            }),
          ),
        );
        const winners = results.filter((r) => r.applied);
        expect(winners).toHaveLength(1);
        const stored = await esc().get(e.taskId);
        expect(stored!.decision).toEqual(winners[0]!.record!.decision);
        // Every loser sees the winner's decision, so it can tell "same" from "different".
        expect(results.every((r) => r.record!.decision!.decidedBy === stored!.decision!.decidedBy)).toBe(true);
      } finally {
        await Promise.all(others.map((s) => s.close()));
      }
    });
  });

  describe('markResumed', () => {
    it('moves a decided escalation to resumed once', async () => {
      const e = escalation();
      await esc().open(e);
      expect(await esc().markResumed(e.taskId, e.escalationId)).toMatchObject({ applied: false, record: { status: 'open' } });
      await esc().decide(e.taskId, e.escalationId, approve);
      const resumed = await esc().markResumed(e.taskId, e.escalationId);
      expect(resumed).toMatchObject({ applied: true, record: { status: 'resumed', decision: approve } });
      expect(Date.parse(resumed.record!.resumedAt!)).not.toBeNaN();
      expect(await esc().markResumed(e.taskId, e.escalationId)).toEqual({ applied: false, record: resumed.record });
      expect(await esc().decide(e.taskId, e.escalationId, { action: 'reject', decidedBy: 'late' })).toEqual({
        applied: false,
        record: resumed.record,
      });
    });

    it('lets exactly one of concurrent resumes win', async () => {
      const e = escalation();
      await esc().open(e);
      await esc().decide(e.taskId, e.escalationId, approve);
      const results = await Promise.all(Array.from({ length: 20 }, () => esc().markResumed(e.taskId, e.escalationId)));
      expect(results.filter((r) => r.applied)).toHaveLength(1);
    });

    it('answers not applied and null for an unknown escalation', async () => {
      expect(await esc().markResumed(randomUUID(), randomUUID())).toEqual({ applied: false, record: null });
    });
  });

  describe('the decision outbox', () => {
    const inOutbox = async (e: NewEscalation): Promise<boolean> =>
      (await esc().unpublishedDecisions(Date.now() + 1000, 1000)).some((d) => d.taskId === e.taskId && d.escalationId === e.escalationId);

    it('a decided escalation stays in the outbox until its decision is marked published, so a decider crash is not lost', async () => {
      const e = escalation();
      await esc().open(e);
      expect(await inOutbox(e)).toBe(false);
      await esc().decide(e.taskId, e.escalationId, approve);
      expect(await inOutbox(e)).toBe(true);
      await esc().markPublished(e.taskId, e.escalationId);
      expect(await inOutbox(e)).toBe(false);
    });

    it('resuming takes the decision out of the outbox: the planner got it, whoever published it', async () => {
      const e = escalation();
      await esc().open(e);
      await esc().decide(e.taskId, e.escalationId, approve);
      await esc().markResumed(e.taskId, e.escalationId);
      expect(await inOutbox(e)).toBe(false);
    });
  });

  describe('listOpen', () => {
    it('lists only the tenant own open escalations, oldest first, up to the limit', async () => {
      const acme = `acme-${randomUUID().slice(0, 8)}`;
      const globex = `globex-${randomUUID().slice(0, 8)}`;
      const late = escalation({ tenantId: acme, createdAt: iso(T0 + 2000) });
      const early = escalation({ tenantId: acme, createdAt: iso(T0) });
      const middle = escalation({ tenantId: acme, createdAt: iso(T0 + 1000) });
      const decided = escalation({ tenantId: acme, createdAt: iso(T0 - 1000) });
      const other = escalation({ tenantId: globex });
      for (const e of [late, early, middle, decided, other]) await esc().open(e);
      await esc().decide(decided.taskId, decided.escalationId, approve);

      expect((await esc().listOpen(acme)).map((r) => r.escalationId)).toEqual([early, middle, late].map((e) => e.escalationId));
      expect((await esc().listOpen(acme, { limit: 2 })).map((r) => r.escalationId)).toEqual([early.escalationId, middle.escalationId]);
      expect((await esc().listOpen(globex)).map((r) => r.escalationId)).toEqual([other.escalationId]);
      expect(await esc().listOpen(`nobody-${randomUUID().slice(0, 8)}`)).toEqual([]);
    });

    it('refuses a limit out of range', async () => {
      await expect(esc().listOpen('acme', { limit: 0 })).rejects.toThrow(RangeError);
      await expect(esc().listOpen('acme', { limit: 1.5 })).rejects.toThrow(RangeError);
    });
  });

  describe('dueTimeouts', () => {
    // The timeout index is one per deployment, so this block uses its own prefix.
    const own = useStateTestEnv('escalations-timeouts-int');

    it('returns open escalations whose expiry has passed, earliest first, across tenants', async () => {
      const a = escalation({ tenantId: 'acme', expiresAt: iso(T0 + 2000) });
      const b = escalation({ tenantId: 'globex', expiresAt: iso(T0 + 1000) });
      const c = escalation({ tenantId: 'acme', expiresAt: iso(T0 + 9000) });
      for (const e of [a, b, c]) await own.store.escalations.open(e);
      const ref = (e: NewEscalation) => ({ taskId: e.taskId, escalationId: e.escalationId });

      expect(await own.store.escalations.dueTimeouts(T0 + 5000)).toEqual([ref(b), ref(a)]);
      expect(await own.store.escalations.dueTimeouts(T0 + 5000, 1)).toEqual([ref(b)]);
      await own.store.escalations.decide(b.taskId, b.escalationId, { action: 'reject', decidedBy: 'timeout' });
      expect(await own.store.escalations.dueTimeouts(T0 + 5000)).toEqual([ref(a)]);
      expect(await own.store.escalations.dueTimeouts(T0 + 10_000)).toEqual([ref(a), ref(c)]);
      expect(await own.store.escalations.dueTimeouts(T0)).toEqual([]);
    });
  });

  describe('a command re-sent after a reconnect (same operation id)', () => {
    // ioredis re-sends the exact command, so the re-run carries the first run's op id.
    let opId = 'op-1';
    let repo: EscalationStore;
    beforeAll(() => {
      repo = new EscalationStore(stateDeps(env.raw, { keys: new KeySpace(env.prefix), newOpId: () => opId }));
    });

    it('answers a re-sent open, decide and markResumed as the first run did, applying each once', async () => {
      const e = escalation();
      opId = randomUUID();
      expect((await repo.open(e)).created).toBe(true);
      expect((await repo.open(e)).created).toBe(true);
      expect((await esc().open(e)).created).toBe(false);

      opId = randomUUID();
      const first = await repo.decide(e.taskId, e.escalationId, approve);
      expect(first.applied).toBe(true);
      const again = await repo.decide(e.taskId, e.escalationId, { action: 'reject', decidedBy: 'other' });
      expect(again).toEqual(first);
      expect((await esc().decide(e.taskId, e.escalationId, approve)).applied).toBe(false);

      opId = randomUUID();
      expect((await repo.markResumed(e.taskId, e.escalationId)).applied).toBe(true);
      expect((await repo.markResumed(e.taskId, e.escalationId)).applied).toBe(true);
      expect((await esc().markResumed(e.taskId, e.escalationId)).applied).toBe(false);
    });
  });
});

/* The real failure: Redis runs the script, the reply is lost, ioredis re-sends it. */
describe('EscalationStore with a reply lost to a reconnect (real Redis)', () => {
  const upstream = new URL(TEST_REDIS_URL);
  const proxy = new ReplyDroppingProxy({ host: upstream.hostname, port: Number(upstream.port || 6379) });
  let proxyUrl = '';
  const env = useStateTestEnv('escalations-resend-int', { url: async () => (proxyUrl = await proxy.start()) });
  let client: BatonRedis;
  let store: EscalationStore;

  beforeAll(async () => {
    // Own client through the proxy, so a test can drop the reply of one script in particular.
    client = await connectClient(proxyUrl, { name: 'escalations-resend-int' });
    store = new EscalationStore(stateDeps(client, { keys: new KeySpace(env.prefix) }));
    // Load the scripts through the proxy first: a dropped NOSCRIPT reply would test ioredis, not us.
    const warm = escalation();
    await store.open(warm);
    await store.decide(warm.taskId, warm.escalationId, approve);
    await store.markResumed(warm.taskId, warm.escalationId);
  });

  afterAll(async () => {
    await client.quit();
    await proxy.stop();
  });

  /** Runs `op` with the reply of the next call of `script` dropped. */
  async function withDroppedReply<T>(script: 'batonOpenEscalation' | 'batonDecideEscalation' | 'batonResumeEscalation', op: () => Promise<T>): Promise<T> {
    const before = proxy.dropped;
    const scripts = client as unknown as Record<typeof script, (...args: unknown[]) => Promise<unknown>>;
    const original = scripts[script];
    scripts[script] = (...args) => {
      proxy.dropNextReply();
      return original.apply(client, args);
    };
    try {
      const result = await op();
      expect(proxy.dropped).toBe(before + 1);
      return result;
    } finally {
      scripts[script] = original;
    }
  }

  it('open, decide and markResumed answer applied, and each change happens once', async () => {
    const e = escalation();
    expect((await withDroppedReply('batonOpenEscalation', () => store.open(e))).created).toBe(true);
    const decided = await withDroppedReply('batonDecideEscalation', () => store.decide(e.taskId, e.escalationId, approve));
    expect(decided).toMatchObject({ applied: true, record: { status: 'decided', decision: approve } });
    expect(await env.store.escalations.get(e.taskId)).toEqual(decided.record);
    const resumed = await withDroppedReply('batonResumeEscalation', () => store.markResumed(e.taskId, e.escalationId));
    expect(resumed).toMatchObject({ applied: true, record: { status: 'resumed' } });
    expect((await env.store.escalations.markResumed(e.taskId, e.escalationId)).applied).toBe(false);
  });
});
