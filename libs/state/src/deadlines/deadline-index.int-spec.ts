import { randomUUID } from 'node:crypto';
import { useStateTestEnv } from '../testing/redis-test-env';

describe('DeadlineIndex (real Redis)', () => {
  const env = useStateTestEnv('deadlines-int');

  it('returns tasks whose deadline has passed, earliest first, and forgets cleared ones', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await env.store.deadlines.schedule(a, 2000);
    await env.store.deadlines.schedule(b, 1000);
    await env.store.deadlines.schedule(c, 9000);
    expect(await env.store.deadlines.due(5000)).toEqual([b, a]);
    await env.store.deadlines.clear(b);
    expect(await env.store.deadlines.due(5000)).toEqual([a]);
    // Re-scheduling moves the deadline instead of adding a second entry.
    await env.store.deadlines.schedule(a, 8000);
    expect(await env.store.deadlines.due(5000)).toEqual([]);
    expect(await env.store.deadlines.due(10000, 1)).toEqual([a]);
  });
});
