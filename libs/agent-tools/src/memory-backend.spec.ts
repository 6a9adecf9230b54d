import { InMemoryToolBackend } from './memory-backend';
import { canonicalHash, canonicalJson } from '@baton/contracts';
import type { ToolExecutionRecord } from './tool';

const record = (over: Partial<ToolExecutionRecord> = {}): ToolExecutionRecord => ({
  tool: 'send_email',
  sideEffect: 'write',
  tenantId: 'acme',
  taskId: 't1',
  stepId: 's1',
  attempt: 1,
  role: 'sales',
  callId: 'c1',
  args: { a: 1 },
  argsHash: 'h1',
  ...over,
});

describe('InMemoryToolBackend', () => {
  it('runs concurrent calls of one key once', async () => {
    const backend = new InMemoryToolBackend();
    let runs = 0;
    const effect = async (): Promise<number> => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 10));
      return 7;
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => backend.execute('k', record(), effect)));
    expect(runs).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(results.every((r) => r.value === 7 && r.sameArgs)).toBe(true);
    expect(await backend.executions('t1')).toHaveLength(1);
  });

  it('scopes keys by tenant and releases a key whose effect threw', async () => {
    const backend = new InMemoryToolBackend();
    await backend.execute('k', record(), async () => 'acme');
    expect(await backend.execute('k', record({ tenantId: 'globex', taskId: 't2' }), async () => 'globex')).toEqual({ value: 'globex', replayed: false, sameArgs: true });
    await expect(backend.execute('k2', record(), async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await backend.execute('k2', record(), async () => 'second')).toEqual({ value: 'second', replayed: false, sameArgs: true });
    expect((await backend.executions('t1')).map((e) => e.outcome)).toEqual(['ok', 'error', 'ok']);
    expect(await backend.executionsForTenant('globex')).toHaveLength(1);
    expect(await backend.execute('k', record({ argsHash: 'other' }), async () => 'x')).toEqual({ value: 'acme', replayed: true, sameArgs: false });
  });

  it('keeps records per tenant and hands out copies', async () => {
    const backend = new InMemoryToolBackend();
    await backend.seed('acme', 'accounts', 'a1', { name: 'A' });
    expect(await backend.getRecord('acme', 'accounts', 'a1')).toEqual({ name: 'A' });
    expect(await backend.getRecord('globex', 'accounts', 'a1')).toBeUndefined();
    const copy = await backend.getRecord('acme', 'accounts', 'a1');
    copy!['name'] = 'changed';
    expect(await backend.listRecords('acme', 'accounts')).toEqual([{ name: 'A' }]);
    expect(await backend.listRecords('acme', 'none')).toEqual([]);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalHash({ a: 1, b: 2 })).toBe(canonicalHash({ b: 2, a: 1 }));
    expect(canonicalHash({ a: 1 })).not.toBe(canonicalHash({ a: 2 }));
  });
});
