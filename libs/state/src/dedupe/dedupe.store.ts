import type { StateDeps } from '../state-deps';

/** How long "already handled" is remembered: longer than any Kafka redelivery we expect. */
export const DEFAULT_DEDUPE_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Remembers which events a consumer group has handled, so an at-least-once redelivery is
 * skipped. Mark after the handler's side effects succeed: a crash in between means the
 * event is handled again, which idempotent handlers tolerate.
 */
export class RedisDedupeStore {
  constructor(
    private readonly deps: StateDeps,
    private readonly ttlSeconds: number = DEFAULT_DEDUPE_TTL_SECONDS,
  ) {
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
      throw new RangeError(`dedupe TTL must be a positive number of seconds, got ${ttlSeconds}`);
    }
  }

  /** True when the group has marked the event done and the mark has not expired. */
  async isDone(group: string, eventId: string): Promise<boolean> {
    return (await this.deps.redis.exists(this.deps.keys.dedupe(group, eventId))) === 1;
  }

  /** Marks the event done for the group; marking twice just renews the TTL. */
  async markDone(group: string, eventId: string): Promise<void> {
    await this.deps.redis.set(this.deps.keys.dedupe(group, eventId), '1', 'EX', this.ttlSeconds);
  }
}
