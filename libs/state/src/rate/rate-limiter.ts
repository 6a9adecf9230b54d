import type { StateDeps } from '../state-deps';
import { rateRefundScript, rateTakeScript } from './rate.scripts';

/** One limit: at most `limit` units (requests, tokens) per `windowMs`. */
export interface RateScope {
  /** Scope id, e.g. `tenant:acme:rpm`, `model:sim-mini:tpm` (see rateScopeIds). No braces or whitespace. */
  id: string;
  /** Units allowed per window; also the largest burst. */
  limit: number;
  /** Window, ms (60 000 for per-minute limits). */
  windowMs: number;
}

/** Builders of the usual scope ids, so every replica meters the same limit under the same key. */
export const rateScopeIds = {
  tenantRpm: (tenantId: string): string => `tenant:${tenantId}:rpm`,
  tenantTpm: (tenantId: string): string => `tenant:${tenantId}:tpm`,
  modelRpm: (model: string): string => `model:${model}:rpm`,
  modelTpm: (model: string): string => `model:${model}:tpm`,
  /** Tasks the tenant submits (the gateway's limit). */
  tenantTasks: (tenantId: string): string => `tenant:${tenantId}:tasks`,
} as const;

/** What to take. */
export interface TakeInput {
  /** Caller's id of this take; a re-sent or repeated take with it never consumes twice. */
  opId: string;
  /** Limits that must all admit; at most 16, no id twice. */
  scopes: readonly RateScope[];
  /** Units to consume per scope (same order); each at most its scope's limit. */
  costs: readonly number[];
  /** Clock of the decision, ms or Date; default `deps.now()`. */
  now?: Date | number;
}

/** Admitted (every scope consumed its cost), or refused (none did). */
export type TakeResult = { ok: true } | { ok: false; scope: string; retryAfterMs: number };

/** Units to give back after an admitted take whose actual use was below its estimate. */
export interface RefundInput {
  /** Op id of the admitted take. */
  opId: string;
  /** The take's scopes, in the same order. */
  scopes: readonly RateScope[];
  /** Units to give back per scope; capped at the take's cost. */
  amounts: readonly number[];
  now?: Date | number;
}

/** A scope's room at a moment. */
export interface RateScopeState {
  /** Units a take could consume now. */
  available: number;
  /** Wait until one unit is available, ms (0 when it is). */
  retryAfterMs: number;
}

/** Options of RateLimiter. */
export interface RateLimiterOptions {
  /**
   * Least time an admitted take's op id is remembered, seconds. It is kept for at least two
   * of its longest windows anyway: past one window its cost has been replenished, so
   * neither a re-send nor a refund can matter after that. Default 60.
   */
  minOpTtlSeconds?: number;
}

const MAX_RATE_SCOPES = 16;
/** Slack when comparing times, ms: absorbs the rounding of window/limit steps. */
const EPSILON_MS = 0.001;

function checkCount(name: string, value: number, positive: boolean): number {
  if (!Number.isSafeInteger(value) || value < (positive ? 1 : 0)) {
    throw new RangeError(`${name} must be a ${positive ? 'positive' : 'non-negative'} integer, got ${value}`);
  }
  return value;
}

/**
 * Validates scopes and their per-scope amounts; costs (`what` = 'cost') must also fit in
 * their limit. Exported for tests.
 */
export function checkRateScopes(scopes: readonly RateScope[], amounts: readonly number[], what: 'cost' | 'amount'): void {
  if (scopes.length > MAX_RATE_SCOPES) throw new RangeError(`at most ${MAX_RATE_SCOPES} scopes, got ${scopes.length}`);
  if (amounts.length !== scopes.length) throw new RangeError(`${what} must have one entry per scope (${scopes.length}), got ${amounts.length}`);
  const seen = new Set<string>();
  scopes.forEach((s, i) => {
    if (s.id.length === 0 || s.id.length > 256 || /[{}\s]/.test(s.id)) {
      throw new RangeError(`scope id must be 1 to 256 characters without braces or whitespace, got ${JSON.stringify(s.id)}`);
    }
    if (seen.has(s.id)) throw new RangeError(`scope ${s.id} is listed twice`);
    seen.add(s.id);
    checkCount(`limit of ${s.id}`, s.limit, true);
    checkCount(`windowMs of ${s.id}`, s.windowMs, true);
    const amount = checkCount(`${what} of ${s.id}`, amounts[i] ?? Number.NaN, false);
    // A cost above the limit could never fit, and the caller would wait forever.
    if (what === 'cost' && amount > s.limit) throw new RangeError(`${what} of ${s.id} (${amount}) exceeds its limit ${s.limit}`);
  });
}

/**
 * The room of a scope whose theoretical arrival time is `tat` (0 = none), by the same
 * arithmetic as the take script. Exported for tests.
 */
export function gcraRoom(scope: RateScope, tat: number, now: number): RateScopeState {
  const step = scope.windowMs / scope.limit;
  const used = Math.max(0, tat - now);
  const available = Math.max(0, Math.min(scope.limit, Math.floor(((scope.windowMs - used + EPSILON_MS) * scope.limit) / scope.windowMs)));
  const wait = used + step - scope.windowMs;
  return { available, retryAfterMs: wait > EPSILON_MS ? Math.ceil(wait) : 0 };
}

/**
 * Request and token limits shared by every replica, per scope (tenant, model...), with the
 * generic cell rate algorithm (GCRA): each scope stores one number, its theoretical arrival
 * time (TAT); a unit of cost advances it by window / limit, and a take fits while the
 * advanced TAT is at most one window ahead of now. Equivalent to a token bucket of
 * `limit` tokens refilled continuously at limit per window.
 *
 * Why GCRA rather than a sliding-window log: its state is one key per scope and a take is
 * O(scopes) whatever the traffic, where a log keeps an entry per admitted call and each
 * script would scan and trim it (a busy model's token scope sees thousands of calls a
 * minute, and a Lua script blocks Redis while it runs); a cost of 1 200 tokens is one
 * multiplication instead of a weighted entry; the wait until a take fits is exact and
 * O(1); and admissions spread over the window instead of bunching up when a fixed window
 * resets. The trade-off: like any token bucket it lets a scope idle for a window burst
 * `limit` at once, so a trailing window can see up to about twice `limit` (the burst plus
 * the refill). That matches how providers meter requests and tokens per minute.
 *
 * A take is all or nothing across its scopes, so a refused take consumes nowhere (a tenant
 * flooding its own limit does not use up a shared model limit). An admitted take is
 * remembered by op id, so a re-sent or repeated take answers admitted without consuming
 * again; a refused one changes nothing and is decided afresh when repeated.
 *
 * Time is the caller's clock (`now`, default `deps.now`): replicas need synchronized clocks
 * (NTP); a skewed replica gains or loses at most its skew's worth of refill. Single-node
 * Redis only: the scopes of one take carry different hash tags.
 */
export class RateLimiter {
  private readonly minOpTtlSeconds: number;

  constructor(
    private readonly deps: StateDeps,
    opts: RateLimiterOptions = {},
  ) {
    this.minOpTtlSeconds = checkCount('minOpTtlSeconds', opts.minOpTtlSeconds ?? 60, true);
  }

  /** Consumes `costs` in every scope, or nothing when one scope lacks room (then: which, and how long to wait). */
  async take(input: TakeInput): Promise<TakeResult> {
    checkRateScopes(input.scopes, input.costs, 'cost');
    const opKey = this.deps.keys.rateOp(input.opId);
    if (input.scopes.length === 0) return { ok: true };
    const maxWindowMs = Math.max(...input.scopes.map((s) => s.windowMs));
    const taken = await rateTakeScript.run(this.deps.redis, {
      opKey,
      opTtlSeconds: Math.max(this.minOpTtlSeconds, Math.ceil((2 * maxWindowMs) / 1000)),
      nowMs: this.millis(input.now),
      scopes: input.scopes.map((s, i) => ({ key: this.deps.keys.rateScope(s.id), id: s.id, cost: input.costs[i] ?? 0, limit: s.limit, windowMs: s.windowMs })),
    });
    if (taken.admitted) return { ok: true };
    return { ok: false, scope: input.scopes[taken.scopeIndex]?.id ?? `#${taken.scopeIndex}`, retryAfterMs: taken.waitMs };
  }

  /**
   * Gives back up to the take's cost per scope (its actual use was lower than the estimate):
   * moves each scope's TAT back, never to before now. Once per take; true when this call
   * (or its re-send) refunded, false when the take is unknown, forgotten, or was refunded.
   */
  async refund(input: RefundInput): Promise<boolean> {
    checkRateScopes(input.scopes, input.amounts, 'amount');
    const opKey = this.deps.keys.rateOp(input.opId);
    if (input.scopes.length === 0) return false;
    const refunded = await rateRefundScript.run(this.deps.redis, {
      opKey,
      nowMs: this.millis(input.now),
      refundOpId: this.deps.newOpId(),
      scopes: input.scopes.map((s, i) => ({ key: this.deps.keys.rateScope(s.id), id: s.id, amount: input.amounts[i] ?? 0, limit: s.limit, windowMs: s.windowMs })),
    });
    if (refunded === 'other_scopes') throw new RangeError(`take ${input.opId} was for other scopes`);
    return refunded === 'refunded';
  }

  /** The scope's room at `now` (for reporting; a take may find less a moment later). */
  async peek(scope: RateScope, now?: Date | number): Promise<RateScopeState> {
    checkRateScopes([scope], [0], 'amount');
    const tat = await this.deps.redis.get(this.deps.keys.rateScope(scope.id));
    return gcraRoom(scope, tat === null ? 0 : Number(tat), this.millis(now));
  }

  /** Forgets a scope's consumption; for operators and tests. */
  async reset(scopeId: string): Promise<void> {
    await this.deps.redis.del(this.deps.keys.rateScope(scopeId));
  }

  private millis(at?: Date | number): number {
    const ms = at === undefined ? this.deps.now().getTime() : typeof at === 'number' ? at : at.getTime();
    if (!Number.isFinite(ms)) throw new RangeError('invalid time');
    return ms;
  }
}
