import type { StateDeps } from '../state-deps';
import { claimScript } from './idempotency.scripts';

/** How long a client's idempotency key holds its task: a day of client retries. */
export const DEFAULT_IDEMPOTENCY_TTL_SECONDS = 86400;

/** Outcome of a claim. */
export interface ClaimResult {
  /** True when the key now belongs to the given task id. */
  claimed: boolean;
  /** The task id the key belongs to: the given one, or the one that claimed it first. */
  taskId: string;
}

/** Client-supplied idempotency keys of submissions, scoped per tenant. */
export class IdempotencyKeys {
  constructor(private readonly deps: StateDeps) {}

  /**
   * Claims `key` for `taskId` unless another task holds it. Claiming again with the same
   * task id reports claimed: true, so a command re-sent after a reconnect answers as the
   * first one did.
   */
  async claim(
    tenantId: string,
    key: string,
    taskId: string,
    ttlSeconds: number = DEFAULT_IDEMPOTENCY_TTL_SECONDS,
  ): Promise<ClaimResult> {
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
      throw new RangeError(`idempotency TTL must be a positive number of seconds, got ${ttlSeconds}`);
    }
    if (taskId.length === 0) throw new RangeError('taskId must not be empty');
    const holder = await claimScript.run(this.deps.redis, { key: this.deps.keys.idempotency(tenantId, key), taskId, ttlSeconds });
    return { claimed: holder === taskId, taskId: holder };
  }
}
