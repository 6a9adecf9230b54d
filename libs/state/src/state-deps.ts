import { randomUUID } from 'node:crypto';
import { KeySpace } from './keys';
import type { BatonRedis } from './lua/lua-script';

/**
 * How long a mutation's operation id is remembered. A re-send after a reconnect arrives
 * within ioredis' retry window (seconds); an hour leaves a wide margin for little memory.
 */
export const DEFAULT_OP_TTL_SECONDS = 3600;

/** What the repositories share; tests swap the clock or the op-id source. */
export interface StateDeps {
  /** Client with Baton's scripts defined. */
  redis: BatonRedis;
  /** Key naming. */
  keys: KeySpace;
  /** Source of timestamps written into records. */
  now: () => Date;
  /** Fresh id per mutating call; a re-sent command carries the same id. */
  newOpId: () => string;
  /** TTL of operation-id markers, seconds. */
  opTtlSeconds: number;
}

/** Fills the defaults of the injectable parts. */
export function stateDeps(redis: BatonRedis, overrides: Partial<Omit<StateDeps, 'redis'>> = {}): StateDeps {
  return {
    redis,
    keys: overrides.keys ?? new KeySpace(),
    now: overrides.now ?? (() => new Date()),
    newOpId: overrides.newOpId ?? randomUUID,
    opTtlSeconds: overrides.opTtlSeconds ?? DEFAULT_OP_TTL_SECONDS,
  };
}
