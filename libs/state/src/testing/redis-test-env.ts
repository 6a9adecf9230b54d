import { randomUUID } from 'node:crypto';
import { StateStore, connectClient } from '../state-store';
import type { BatonRedis } from '../lua/lua-script';

/** The Redis the integration tests use: the one the Jest global setup started, or the local default. */
export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6399';

/** A key prefix no other test run shares, so tests never need FLUSHALL. */
export function uniquePrefix(): string {
  return `baton-test:${randomUUID().slice(0, 8)}:`;
}

/** Deletes every key under a test prefix (SCAN, never KEYS, never FLUSHALL). */
export async function deletePrefix(redis: BatonRedis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** A raw client for assertions on keys and TTLs. */
export function rawClient(): Promise<BatonRedis> {
  return connectClient(TEST_REDIS_URL, { name: 'baton-state-test' });
}

export interface StateTestEnvOptions {
  /**
   * Where the store connects (default TEST_REDIS_URL). A function is awaited inside the
   * beforeAll, so a spec can start something first (e.g. a proxy) and hand back its URL.
   * The raw client always goes to TEST_REDIS_URL, so assertions bypass whatever is in between.
   */
  url?: string | (() => Promise<string>);
}

/** A StateStore and a raw client sharing one fresh key prefix, for one describe block. */
export interface StateTestEnv {
  readonly prefix: string;
  readonly store: StateStore;
  readonly raw: BatonRedis;
}

/**
 * Registers the beforeAll/afterAll every state integration spec needs: connect a StateStore
 * (connection name `name`) and a raw client under a unique prefix, and afterwards delete
 * that prefix and close both. Call it at the top of a describe block, before the spec's own
 * hooks: Jest runs hooks of a block in declaration order, so the spec's beforeAll sees a
 * connected store and its afterAll runs after this cleanup.
 *
 * `store` and `raw` are getters because they only exist once the beforeAll has run;
 * destructuring them at describe time would capture nothing.
 */
export function useStateTestEnv(name: string, opts: StateTestEnvOptions = {}): StateTestEnv {
  const prefix = uniquePrefix();
  let store: StateStore | undefined;
  let raw: BatonRedis | undefined;

  beforeAll(async () => {
    const url = typeof opts.url === 'function' ? await opts.url() : (opts.url ?? TEST_REDIS_URL);
    store = await StateStore.connect(url, { name, keyPrefix: prefix });
    raw = await rawClient();
  });

  afterAll(async () => {
    // Guarded and in finally: if the beforeAll failed half-way, or deleting keys fails, still
    // close what was opened so Jest is not left waiting on an open socket.
    try {
      if (raw) await deletePrefix(raw, prefix);
    } finally {
      await store?.close();
      await raw?.quit();
    }
  });

  const connected = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) {
      throw new Error(`useStateTestEnv('${name}'): ${what} was read before its beforeAll connected it`);
    }
    return value;
  };

  return {
    get prefix() {
      return prefix;
    },
    get store() {
      return connected(store, 'store');
    },
    get raw() {
      return connected(raw, 'raw');
    },
  };
}
