import { useStateTestEnv } from '../testing/redis-test-env';

describe('WorkLeases (real Redis)', () => {
  const env = useStateTestEnv('work-leases-int');

  it('lets one owner hold a unit of work; another sees it held, then done', async () => {
    const leases = env.store.leases;
    expect(await leases.acquire('task-1', 'w1', 'a', 5000)).toBe('acquired');
    expect(await leases.acquire('task-1', 'w1', 'b', 5000)).toBe('held');
    expect(await leases.acquire('task-1', 'w1', 'a', 5000)).toBe('acquired');
    expect(await leases.renew('task-1', 'w1', 'a', 5000)).toBe(true);
    expect(await leases.renew('task-1', 'w1', 'b', 5000)).toBe(false);
    await leases.finish('task-1', 'w1', 'a');
    expect(await leases.acquire('task-1', 'w1', 'b', 5000)).toBe('done');
    expect(await leases.renew('task-1', 'w1', 'a', 5000)).toBe(false);
  });

  it('hands the work to another owner once the holder stopped renewing (it died)', async () => {
    const leases = env.store.leases;
    expect(await leases.acquire('task-2', 'w1', 'a', 150)).toBe('acquired');
    await new Promise((r) => setTimeout(r, 300));
    expect(await leases.acquire('task-2', 'w1', 'b', 5000)).toBe('acquired');
    expect(await leases.renew('task-2', 'w1', 'a', 5000)).toBe(false);
  });

  it('keeps the done mark with a TTL, under the task hash tag', async () => {
    await env.store.leases.finish('task-3', 'w1', 'a');
    const key = `${env.prefix}{task-3}:lease:w1`;
    expect(await env.raw.hget(key, 'state')).toBe('done');
    expect(await env.raw.ttl(key)).toBeGreaterThan(0);
  });
});
