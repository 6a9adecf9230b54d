import { z } from 'zod';
import { CountText } from '../records/state-record';

/** Layout version of the breaker hash (KeySpace.modelBreaker). Not stored: see records/state-record.ts. Fixtures: breaker@1*.json. */
export const BREAKER_RECORD_VERSION = 1;

/**
 * One model's circuit breaker as the breaker scripts write it. No key at all: closed, no
 * failures (the key expires after the idle time).
 */
export const BreakerHash = z.strictObject({
  /** Consecutive failures while closed. */
  failures: CountText.optional(),
  /** End of the cool-down, ms since epoch; absent: closed. Past it the breaker is half-open. */
  openUntil: CountText.optional(),
  /** End of the current half-open probe's lease, ms since epoch. */
  probeUntil: CountText.optional(),
});
export type BreakerHash = z.infer<typeof BreakerHash>;
