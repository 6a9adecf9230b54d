/**
 * How a failing handler is retried in-process before its message is dead-lettered. A poison
 * failure (see error-kind.ts) gets a few quick attempts; a transient one (Redis or Kafka
 * restarting) is waited out with longer, bounded backoff.
 */
export interface RetryPolicy {
  /** Handler attempts that fail with a poison error before the message is dead-lettered (>= 1). */
  attempts: number;
  /** Wait after the first failed attempt, in ms; doubles after each further failure. */
  initialBackoffMs: number;
  /** Upper bound of any single wait after a poison failure, in ms. */
  maxBackoffMs: number;
  /**
   * How long transient failures are waited out, in ms from the first attempt, before the
   * message is dead-lettered as `kind: transient`. Long enough for a Redis restart that
   * replays its AOF, or a broker restart and leader election.
   */
  transientBudgetMs: number;
  /** Upper bound of any single wait after a transient failure, in ms. */
  transientMaxBackoffMs: number;
}

/** The policy used when a bus is given none. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 3,
  initialBackoffMs: 100,
  maxBackoffMs: 2000,
  transientBudgetMs: 60_000,
  transientMaxBackoffMs: 5_000,
});

/** Fills a partial policy with defaults and rejects values that would stall or spin a partition. */
export function resolveRetryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...stripUndefined(partial) };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new RangeError(`retry.attempts must be an integer >= 1, got ${policy.attempts}`);
  }
  if (!Number.isFinite(policy.initialBackoffMs) || policy.initialBackoffMs < 0) {
    throw new RangeError(`retry.initialBackoffMs must be >= 0, got ${policy.initialBackoffMs}`);
  }
  if (!Number.isFinite(policy.maxBackoffMs) || policy.maxBackoffMs < policy.initialBackoffMs) {
    throw new RangeError(`retry.maxBackoffMs must be >= initialBackoffMs, got ${policy.maxBackoffMs}`);
  }
  if (!Number.isFinite(policy.transientBudgetMs) || policy.transientBudgetMs < 0) {
    throw new RangeError(`retry.transientBudgetMs must be >= 0, got ${policy.transientBudgetMs}`);
  }
  if (!Number.isFinite(policy.transientMaxBackoffMs) || policy.transientMaxBackoffMs < policy.initialBackoffMs) {
    throw new RangeError(`retry.transientMaxBackoffMs must be >= initialBackoffMs, got ${policy.transientMaxBackoffMs}`);
  }
  return policy;
}

function stripUndefined(p: Partial<RetryPolicy>): Partial<RetryPolicy> {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
}

/**
 * Wait before the next attempt after the `failedAttempt`-th (1-based) failure of a kind:
 * exponential from `initialBackoffMs`, capped by `maxBackoffMs` (poison) or
 * `transientMaxBackoffMs` (transient). No jitter: retries are per message inside one
 * consumer, so there is no herd to spread.
 */
export function backoffMs(policy: RetryPolicy, failedAttempt: number, kind: 'poison' | 'transient' = 'poison'): number {
  const exponent = Math.max(0, failedAttempt - 1);
  const cap = kind === 'transient' ? policy.transientMaxBackoffMs : policy.maxBackoffMs;
  // Cap the exponent so large attempt counts cannot overflow to Infinity before the min.
  return Math.min(cap, policy.initialBackoffMs * 2 ** Math.min(exponent, 30));
}
