import type { StateDeps } from '../state-deps';
import { breakerFailureScript, breakerProbeScript, breakerSuccessScript } from './breaker.scripts';

/** Where a model's breaker stands: calls flow, calls are refused, or one probe call may test the model. */
export type BreakerState = 'closed' | 'open' | 'half_open';

/** When a breaker opens and for how long. */
export interface BreakerPolicy {
  /** Consecutive failures (no success in between, across every replica) that open the breaker. */
  failureThreshold: number;
  /** Cool-down: how long an opened breaker refuses calls before it lets one probe through, ms. */
  openMs: number;
  /**
   * How long one caller holds the half-open probe, ms: if it neither succeeds nor fails in
   * that time (it crashed), the next caller may probe. Default: `openMs`.
   */
  probeLeaseMs?: number;
  /**
   * A breaker nobody touched for this long forgets its failures (its key expires), ms;
   * keeps Redis free of breakers of models long gone from the catalog. Default: 1 hour.
   */
  idleResetMs?: number;
}

/** Defaults: 3 consecutive failures open a breaker for 30 s. */
export const DEFAULT_BREAKER_POLICY: Readonly<Required<BreakerPolicy>> = Object.freeze({
  failureThreshold: 3,
  openMs: 30_000,
  probeLeaseMs: 30_000,
  idleResetMs: 3_600_000,
});

/** What a recorded outcome did to the breaker. */
export interface BreakerChange {
  /** State right after the call. */
  state: Exclude<BreakerState, 'half_open'>;
  /** True when this outcome opened (failure) or closed (success) the breaker. */
  changed: boolean;
}

function checkPositive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** Validates a partial policy and fills in the defaults. */
export function resolveBreakerPolicy(policy: Partial<BreakerPolicy> = {}): Required<BreakerPolicy> {
  const openMs = checkPositive('openMs', policy.openMs ?? DEFAULT_BREAKER_POLICY.openMs);
  return {
    failureThreshold: checkPositive('failureThreshold', policy.failureThreshold ?? DEFAULT_BREAKER_POLICY.failureThreshold),
    openMs,
    probeLeaseMs: checkPositive('probeLeaseMs', policy.probeLeaseMs ?? openMs),
    idleResetMs: checkPositive('idleResetMs', policy.idleResetMs ?? DEFAULT_BREAKER_POLICY.idleResetMs),
  };
}

function stateAt(openUntil: string | null, at: number): BreakerState {
  const until = Number(openUntil ?? 0);
  if (!until) return 'closed';
  return at < until ? 'open' : 'half_open';
}

/**
 * One circuit breaker per model, in Redis so every replica of every service sees the same
 * state. Policy: `failureThreshold` consecutive failures open it for `openMs`; then it is
 * half-open and `tryProbe` lets one caller at a time through; that call's success closes
 * it, its failure opens it for another `openMs`. Consecutive failures rather than a
 * failure rate in a window: it needs no traffic estimate, and with interleaved calls a
 * model that still answers some of them is degraded, not down, so it is left to the
 * fallbacks of the calls that do fail.
 *
 * Outcomes of calls that started before the breaker opened and end while it is open are
 * ignored, so a burst of late answers neither extends nor cuts short the cool-down.
 * Timestamps come from the caller's clock: replicas need synchronized clocks (NTP), and a
 * skew shifts the end of a cool-down by that skew, no more.
 */
export class ModelBreakers {
  /** The policy this instance applies when it records outcomes and grants probes. */
  readonly policy: Readonly<Required<BreakerPolicy>>;

  constructor(
    private readonly deps: StateDeps,
    policy: Partial<BreakerPolicy> = {},
  ) {
    this.policy = Object.freeze(resolveBreakerPolicy(policy));
  }

  /**
   * The same breakers under another policy (a service's configured threshold and
   * cool-down). State lives in Redis, so both instances see and change the same breakers.
   */
  withPolicy(policy: Partial<BreakerPolicy>): ModelBreakers {
    return new ModelBreakers(this.deps, { ...this.policy, ...policy, probeLeaseMs: policy.probeLeaseMs ?? policy.openMs ?? this.policy.probeLeaseMs });
  }

  /** Counts a failed call (after the client's own retries); opens the breaker at the threshold or when a probe failed. */
  async recordFailure(model: string, at?: Date): Promise<BreakerChange> {
    const { failureThreshold, openMs, idleResetMs } = this.policy;
    return breakerFailureScript.run(this.deps.redis, {
      breakerKey: this.deps.keys.modelBreaker(model),
      nowMs: this.millis(at),
      failureThreshold,
      openMs,
      idleMs: idleResetMs,
    });
  }

  /** Records a successful call: resets the failure count, and closes a half-open breaker. */
  async recordSuccess(model: string, at?: Date): Promise<BreakerChange> {
    return breakerSuccessScript.run(this.deps.redis, { breakerKey: this.deps.keys.modelBreaker(model), nowMs: this.millis(at) });
  }

  /** The breaker's state at `at` (default now). */
  async state(model: string, at?: Date): Promise<BreakerState> {
    return stateAt(await this.deps.redis.hget(this.deps.keys.modelBreaker(model), 'openUntil'), this.millis(at));
  }

  /** The states of several models in one round trip, keyed by model. */
  async states(models: readonly string[], at?: Date): Promise<Record<string, BreakerState>> {
    if (models.length === 0) return {};
    const now = this.millis(at);
    const pipeline = this.deps.redis.pipeline();
    for (const m of models) pipeline.hget(this.deps.keys.modelBreaker(m), 'openUntil');
    const replies = (await pipeline.exec()) ?? [];
    return Object.fromEntries(
      models.map((m, i) => {
        const [err, value] = replies[i] ?? [new Error('no reply'), null];
        if (err) throw err;
        return [m, stateAt(typeof value === 'string' ? value : null, now)];
      }),
    );
  }

  /**
   * Whether the caller may call the model now: always while closed; never while open;
   * when half-open, for exactly one caller until it reports an outcome or its lease ends.
   */
  async tryProbe(model: string, at?: Date): Promise<boolean> {
    return breakerProbeScript.run(this.deps.redis, { breakerKey: this.deps.keys.modelBreaker(model), nowMs: this.millis(at), probeLeaseMs: this.policy.probeLeaseMs });
  }

  /** Forgets the breaker (closed, no failures); for operators and tests. */
  async reset(model: string): Promise<void> {
    await this.deps.redis.del(this.deps.keys.modelBreaker(model));
  }

  private millis(at?: Date): number {
    const ms = (at ?? this.deps.now()).getTime();
    if (Number.isNaN(ms)) throw new RangeError('invalid date');
    return ms;
  }
}
