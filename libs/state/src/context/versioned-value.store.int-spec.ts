import { useStateTestEnv } from '../testing/redis-test-env';

describe('VersionedValueStore (real Redis)', () => {
  const env = useStateTestEnv('versioned-int');

  it('saves only on the revision it read: a write based on a stale read is refused, not lost over', async () => {
    const store = env.store.versioned;
    expect(await store.load('t1', 'run')).toEqual({ value: null, revision: 0 });
    expect(await store.save('t1', 'run', { n: 1 }, 0)).toBe(1);
    const a = await store.load<{ n: number }>('t1', 'run');
    const b = await store.load<{ n: number }>('t1', 'run');
    expect(await store.save('t1', 'run', { n: 2 }, a.revision)).toBe(2);
    // b read revision 1 too: its write would drop a's update.
    expect(await store.save('t1', 'run', { n: 3 }, b.revision)).toBeNull();
    expect(await store.load('t1', 'run')).toEqual({ value: { n: 2 }, revision: 2 });
  });

  it('writes the fields given along in the same step, and drops one with a single call', async () => {
    const store = env.store.versioned;
    expect(await store.save('t2', 'run', { n: 1 }, 0, { 'run:outbox:e1': [{ type: 'dispatch' }] })).toBe(1);
    expect(await store.field('t2', 'run:outbox:e1')).toEqual([{ type: 'dispatch' }]);
    // A refused save writes none of its fields.
    expect(await store.save('t2', 'run', { n: 9 }, 0, { 'run:outbox:e2': [] })).toBeNull();
    expect(await store.field('t2', 'run:outbox:e2')).toBeNull();
    await store.dropField('t2', 'run:outbox:e1');
    expect(await store.field('t2', 'run:outbox:e1')).toBeNull();
    expect((await store.load('t2', 'run')).revision).toBe(1);
  });

  it('reads a value stored before revisions existed as revision 0', async () => {
    await env.store.context.put('t3', 'run', { legacy: true });
    expect(await env.store.versioned.load('t3', 'run')).toEqual({ value: { legacy: true }, revision: 0 });
    expect(await env.store.versioned.save('t3', 'run', { legacy: false }, 0)).toBe(1);
  });
});
