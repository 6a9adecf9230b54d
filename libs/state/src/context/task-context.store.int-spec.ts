import { randomUUID } from 'node:crypto';
import { KeySpace } from '../keys';
import { CorruptRecordError } from '../records/state-record';
import { useStateTestEnv } from '../testing/redis-test-env';

describe('TaskContextStore (real Redis)', () => {
  const env = useStateTestEnv('context-int');

  it('stores, replaces and reads named JSON values per task', async () => {
    const taskId = randomUUID();
    const spec = { role: 'sales', model: 'sim-small', input: { text: 'hi', data: { n: 1 } } };
    await env.store.context.put(taskId, 'step.spec', spec);
    await env.store.context.put(taskId, 'attempt.1', { attempt: 1, outcome: 'blocked' });
    await env.store.context.put(taskId, 'attempt.1', { attempt: 1, outcome: 'failed' });
    await env.store.context.put(taskId, 'flag', false);
    expect(await env.store.context.get<typeof spec>(taskId, 'step.spec')).toEqual(spec);
    expect(await env.store.context.get(taskId, 'flag')).toBe(false);
    expect(await env.store.context.getAll(taskId)).toEqual({
      'step.spec': spec,
      'attempt.1': { attempt: 1, outcome: 'failed' },
      flag: false,
    });
    expect(await env.store.context.get(randomUUID(), 'step.spec')).toBeNull();
    expect(await env.store.context.get(taskId, 'missing')).toBeNull();
    expect(await env.store.context.getAll(randomUUID())).toEqual({});
  });

  it('keeps the context in the task hash slot', () => {
    expect(new KeySpace(env.prefix).taskContext('abc')).toBe(`${env.prefix}{abc}:ctx`);
  });

  it('rejects values that are not JSON and reports corrupt ones', async () => {
    const taskId = randomUUID();
    await expect(env.store.context.put(taskId, 'fn', () => 1)).rejects.toThrow(TypeError);
    await expect(env.store.context.put(taskId, '', 1)).rejects.toThrow(RangeError);
    await env.raw.hset(new KeySpace(env.prefix).taskContext(taskId), 'bad', '{nope');
    await expect(env.store.context.get(taskId, 'bad')).rejects.toThrow(CorruptRecordError);
  });
});
