import net from 'node:net';
import { StateStore } from './state-store';
import { TEST_REDIS_URL, uniquePrefix } from './testing/redis-test-env';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('StateStore (real Redis)', () => {
  it('connects, pings and closes (twice is fine)', async () => {
    const store = await StateStore.connect(TEST_REDIS_URL, { name: 'baton-state-int', keyPrefix: uniquePrefix() });
    expect(await store.ping()).toBe(true);
    await store.close();
    await store.close();
    expect(await store.ping()).toBe(false);
  });

  it('fails with an error naming the URL (password masked) when Redis is unreachable', async () => {
    const url = `redis://:hunter2@127.0.0.1:${await closedPort()}`;
    const started = Date.now();
    const err = (await StateStore.connect(url, { connectTimeoutMs: 700 }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain('127.0.0.1');
    expect(err.message).toContain('not reachable');
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.message).not.toContain('hunter2');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('rejects bad options before connecting', async () => {
    await expect(StateStore.connect('localhost:6379')).rejects.toThrow(/not a Redis URL/);
    await expect(StateStore.connect(TEST_REDIS_URL, { keyPrefix: '{x}' })).rejects.toThrow(/prefix/);
    await expect(StateStore.connect(TEST_REDIS_URL, { dedupeTtlSeconds: 0 })).rejects.toThrow(RangeError);
  });
});
