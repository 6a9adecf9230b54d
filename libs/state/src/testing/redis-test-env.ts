import { randomUUID } from 'node:crypto';
import { connectClient } from '../state-store';
import type { BatonRedis } from '../scripts';

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
