/** How often and how patiently a failing handler is retried in-process before its message is dead-lettered. */
export interface RetryPolicy {
  /** Total handler attempts, the first included (>= 1). */
  attempts: number;
  /** Wait after the first failed attempt, in ms; doubles after each further failure. */
  initialBackoffMs: number;
  /** Upper bound of any single wait, in ms. */
  maxBackoffMs: number;
}

/** The policy used when a bus is given none. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 3,
  initialBackoffMs: 100,
  maxBackoffMs: 2000,
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
  return policy;
}

function stripUndefined(p: Partial<RetryPolicy>): Partial<RetryPolicy> {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
}

/**
 * Wait before the next attempt after `failedAttempt` (1-based) failed: exponential, capped.
 * No jitter: retries are per message inside one consumer, so there is no herd to spread.
 */
export function backoffMs(policy: RetryPolicy, failedAttempt: number): number {
  const exponent = Math.max(0, failedAttempt - 1);
  // Cap the exponent so large attempt counts cannot overflow to Infinity before the min.
  return Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.min(exponent, 30));
}
