import { randomUUID } from 'node:crypto';
import { defaultRegistry, seedDemoFixtures, type ToolBackend, type ToolContext, type ToolExecutionRecord } from '@baton/agent-tools';
import { KeySpace } from '../keys';
import type { BatonRedis } from '../lua/lua-script';
import { stateDeps } from '../state-deps';
import { connectClient } from '../state-store';
import { TEST_REDIS_URL, useStateTestEnv } from '../testing/redis-test-env';
import { ToolCallInFlightError, ToolLedger, type ToolLedgerOptions } from './tool-ledger';

describe('ToolLedger (real Redis)', () => {
  const env = useStateTestEnv('tool-ledger-int');
  const ledger = (opts: ToolLedgerOptions = {}, redis: BatonRedis = env.raw): ToolLedger =>
    new ToolLedger(stateDeps(redis, { keys: new KeySpace(env.prefix), now: () => new Date('2025-03-04T05:06:07Z') }), opts);
  const record = (over: Partial<ToolExecutionRecord> = {}): ToolExecutionRecord => ({
    tool: 'send_email',
    sideEffect: 'write',
    tenantId: `t-${randomUUID().slice(0, 8)}`,
    taskId: randomUUID(),
    stepId: 'main',
    attempt: 1,
    role: 'sales',
    callId: 'call-1',
    args: { to: 'a@b.example' },
    argsHash: 'h1',
    ...over,
  });

  it('is a ToolBackend', () => {
    const backend: ToolBackend = ledger();
    expect(backend).toBeInstanceOf(ToolLedger);
  });

  it('runs an effect once per key and replays its stored result', async () => {
    const l = ledger();
    const r = record();
    let runs = 0;
    const effect = async (): Promise<{ id: string }> => ({ id: `m${++runs}` });
    expect(await l.execute('k1', r, effect)).toEqual({ value: { id: 'm1' }, replayed: false, sameArgs: true });
    expect(await l.execute('k1', { ...r, callId: 'call-2' }, effect)).toEqual({ value: { id: 'm1' }, replayed: true, sameArgs: true });
    expect(await l.execute('k1', { ...r, argsHash: 'h2' }, effect)).toEqual({ value: { id: 'm1' }, replayed: true, sameArgs: false });
    expect(runs).toBe(1);
    expect(await l.executions(r.taskId)).toEqual([{ ...r, key: 'k1', at: '2025-03-04T05:06:07.000Z', outcome: 'ok' }]);
    const ttl = await env.raw.ttl(l.keys.run(r.tenantId, 'k1'));
    expect(ttl).toBeGreaterThan(7 * 86400 - 60);
  });

  it('runs 20 concurrent calls of one key from 4 clients once', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => connectClient(TEST_REDIS_URL, { name: 'tool-ledger-int-extra' })));
    try {
      const ledgers = [ledger(), ...clients.map((c) => ledger({}, c))];
      const r = record();
      let runs = 0;
      const effect = async (): Promise<string> => {
        runs += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
        return 'sent';
      };
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => ledgers[i % ledgers.length]!.execute('same', r, effect)));
      expect(runs).toBe(1);
      expect(results.filter((x) => !x.replayed)).toHaveLength(1);
      expect(results.every((x) => x.value === 'sent')).toBe(true);
      expect(await ledgers[0]!.executions(r.taskId)).toHaveLength(1);
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
    }
  });

  it('records a failed effect, releases its key and lets the next call run', async () => {
    const l = ledger();
    const r = record();
    await expect(l.execute('k', r, async () => Promise.reject(new Error('no such lead')))).rejects.toThrow('no such lead');
    expect(await env.raw.exists(l.keys.run(r.tenantId, 'k'))).toBe(0);
    expect(await l.execute('k', r, async () => 2)).toEqual({ value: 2, replayed: false, sameArgs: true });
    expect((await l.executions(r.taskId)).map((e) => [e.outcome, e.error])).toEqual([
      ['error', 'no such lead'],
      ['ok', undefined],
    ]);
  });

  it('scopes keys by tenant', async () => {
    const l = ledger();
    const a = record();
    const b = record({ taskId: a.taskId });
    await l.execute('k', a, async () => 'a');
    expect(await l.execute('k', b, async () => 'b')).toEqual({ value: 'b', replayed: false, sameArgs: true });
    expect((await l.executionsForTenant(a.tenantId)).map((e) => e.tenantId)).toEqual([a.tenantId]);
    expect((await l.executionsForTenant(b.tenantId)).map((e) => e.tenantId)).toEqual([b.tenantId]);
  });

  it('makes a second caller wait for a running key, and take over once the lease ran out', async () => {
    const r = record();
    // Someone claimed the key and died: the claim is a lease of 300 ms.
    const l = ledger({ leaseMs: 300, waitMs: 100, pollMs: 10 });
    await env.raw.set(l.keys.run(r.tenantId, 'stuck'), 'running someone-else', 'PX', 300);
    await expect(l.execute('stuck', r, async () => 'x')).rejects.toThrow(ToolCallInFlightError);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await l.execute('stuck', r, async () => 'mine')).toEqual({ value: 'mine', replayed: false, sameArgs: true });

    // A caller waiting on a live run gets its result.
    const slow = ledger({ waitMs: 2_000, pollMs: 10 });
    const first = slow.execute('slow', r, async () => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      return 'first';
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await slow.execute('slow', r, async () => 'second')).toEqual({ value: 'first', replayed: true, sameArgs: true });
    await first;
  });

  it('keeps the newest executions of a tenant, capped', async () => {
    const l = ledger({ tenantLedgerMax: 3 });
    const r = record();
    for (let i = 0; i < 5; i++) await l.execute(`k${i}`, { ...r, callId: `c${i}` }, async () => i);
    expect((await l.executionsForTenant(r.tenantId)).map((e) => e.callId)).toEqual(['c2', 'c3', 'c4']);
    expect((await l.executionsForTenant(r.tenantId, 2)).map((e) => e.callId)).toEqual(['c3', 'c4']);
    expect(await l.executions(r.taskId)).toHaveLength(5);
    expect(await l.executions(randomUUID())).toEqual([]);
  });

  it('stores tenant records and never hands one to another tenant', async () => {
    const l = ledger();
    await l.seed('acme-x', 'accounts', 'acc_1', { name: 'A' });
    expect(await l.getRecord('acme-x', 'accounts', 'acc_1')).toEqual({ name: 'A' });
    expect(await l.getRecord('globex-x', 'accounts', 'acc_1')).toBeUndefined();
    expect(await l.listRecords('acme-x', 'accounts')).toEqual([{ name: 'A' }]);
    expect(await l.listRecords('globex-x', 'accounts')).toEqual([]);
    expect(() => l.keys.records('bad tenant', 'accounts')).toThrow(RangeError);
    expect(l.keys.run('acme', 'k{x} y')).toBe(`${env.prefix}tool:{acme}:run:k%7Bx%7D%20y`);
  });

  describe('with the sample tools', () => {
    const registry = defaultRegistry();
    let l: ToolLedger;
    beforeAll(async () => {
      l = ledger();
      await seedDemoFixtures(l);
    });
    const ctx = (over: Partial<ToolContext> = {}): ToolContext => ({
      tenantId: 'acme',
      taskId: randomUUID(),
      stepId: 'main',
      attempt: 1,
      role: 'risk',
      taskType: 'payment.refund',
      callId: randomUUID(),
      input: { text: 'x' },
      backend: l,
      ...over,
    });

    it("answers another tenant's account as not found", async () => {
      expect(await registry.invoke('crm_get_account', { accountId: 'acc_1001' }, ctx())).toMatchObject({ ok: true, value: { name: 'Northwind Traders' } });
      expect(await registry.invoke('crm_get_account', { accountId: 'acc_2001' }, ctx())).toMatchObject({ ok: false, error: 'no account acc_2001' });
    });

    it('refunds once per task and keeps the outbox in the ledger', async () => {
      const c = ctx();
      const args = { paymentId: 'pay_5001', amountCents: 2_500, currency: 'USD', reason: 'damaged' };
      const first = await registry.invoke('issue_refund', args, c);
      expect(first).toMatchObject({ ok: true, replayed: false, value: { status: 'issued', amountCents: 2_500 } });
      expect(await registry.invoke('issue_refund', args, { ...c, callId: 'again' })).toEqual({ ...first, replayed: true });
      expect(await registry.invoke('issue_refund', { ...args, amountCents: 9_000 }, c)).toMatchObject({ ok: false, code: 'idempotency_conflict' });
      await registry.invoke('send_email', { to: 'buyer@northwind.example', subject: 'Refund', body: 'Done.' }, c);
      expect((await l.executions(c.taskId)).map((e) => [e.tool, e.outcome, e.args['amountCents'] ?? e.args['to']])).toEqual([
        ['issue_refund', 'ok', 2_500],
        ['send_email', 'ok', 'buyer@northwind.example'],
      ]);
    });
  });
});
