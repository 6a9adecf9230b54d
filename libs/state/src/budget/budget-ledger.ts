import { checkDay, utcDay } from '../keys';
import type { StateDeps } from '../state-deps';
import { readReservation } from './budget-records';
import { type BudgetScopeKeys, releaseScript, reserveScript, settleScript, sweepBudgetScript } from './budget.scripts';

/**
 * One budget a reservation must fit in: a task's, a tenant's day, the deployment's day...
 * Scopes are independent counters; a reservation checks and holds in all of its scopes.
 */
export interface BudgetScope {
  /** Scope id, e.g. `task:<taskId>`, `tenant:acme:day:2026-11-24` (see budgetScopeIds). No braces or whitespace. */
  id: string;
  /** The scope's limit, micro-dollars. The latest reserve's limit is the one checked and shown by `scope()`. */
  limitMicros: number;
  /**
   * How long the scope's counters live after their last write, seconds (e.g. 2 days for a
   * daily scope, so yesterday's counters clean themselves up). Default: forever.
   */
  ttlSeconds?: number;
}

/** Builders of the usual scope ids, so every service names the same budget the same way. */
export const budgetScopeIds = {
  /** The task's whole budget. */
  task: (taskId: string): string => `task:${taskId}`,
  /** The tenant's budget, all time. */
  tenant: (tenantId: string): string => `tenant:${tenantId}`,
  /** The tenant's budget of one UTC day (`yyyy-mm-dd`, or a date whose UTC day is taken). */
  tenantDay: (tenantId: string, day: string | Date): string => `tenant:${tenantId}:day:${dayOf(day)}`,
  /** The deployment's budget of one UTC day. */
  globalDay: (day: string | Date): string => `global:day:${dayOf(day)}`,
} as const;

function dayOf(day: string | Date): string {
  return typeof day === 'string' ? checkDay(day) : utcDay(day);
}

/** What to reserve. */
export interface ReserveInput {
  /** Caller's id of the reservation; the same id always gets the first call's outcome. */
  reservationId: string;
  taskId: string;
  tenantId: string;
  /** Model the reservation is for (kept on the record, for operators). */
  model: string;
  /** Worst-case cost of the call, integer micro-dollars. */
  amountMicros: number;
  /** Budgets the amount must fit in, all at once; at most 16, no id twice. */
  scopes: readonly BudgetScope[];
  /** After this long (ms) a reservation neither settled nor released returns its amount to the scopes. */
  ttlMs: number;
  /**
   * Fraction of a scope's limit under which its remaining budget counts as low; each scope
   * reports the first reservation that takes it below (`crossedLow`). Default 0.2.
   */
  lowWatermark?: number;
}

/** The reservation holds its amount in every scope. */
export interface ReserveGranted {
  ok: true;
  /** Per scope id: limit − spent − reserved right after this reservation, micro-dollars. */
  remainingMicros: Record<string, number>;
  /** Scopes this reservation took below the low watermark for the first time in the scope's life. */
  crossedLow: string[];
}

/** Some scope had no room: nothing was reserved anywhere. */
export interface ReserveRefusedBudget {
  ok: false;
  reason: 'budget';
  /** The first scope (in the order given) that would overshoot. */
  scope: string;
  limitMicros: number;
  spentMicros: number;
  reservedMicros: number;
}

/** The id was settled or released before any reserve with it arrived; it stays closed. */
export interface ReserveRefusedClosed {
  ok: false;
  reason: 'closed';
}

export type ReserveResult = ReserveGranted | ReserveRefusedBudget | ReserveRefusedClosed;

/** The actual cost of a reserved call. */
export interface SettleInput {
  reservationId: string;
  /** Actual cost, integer micro-dollars. Up to the reserved amount keeps every scope within its limit. */
  actualMicros: number;
  /** Id of the usage event; charged once, shared with SpendLedger.record (same per-task record). */
  usageEventId: string;
  /** Model actually called (a fallback may differ from the reserved one); keys the per-model total. */
  model: string;
  /** When the call happened; picks the UTC day of the per-day total. Default: now. */
  at?: Date;
  /**
   * Task, tenant and scopes of the reservation, again: the record may have expired (or never
   * existed), and the call happened anyway, so the charge must not depend on it. When the
   * record still exists they must match it, in any order (else RangeError).
   */
  taskId: string;
  tenantId: string;
  scopes: readonly BudgetScope[];
}

/** Outcome of settling. */
export interface SettleResult {
  /** True when this call charged the cost (or is the re-send of the call that did). */
  applied: boolean;
  /**
   * True when the charge replaced a hold still present in at least one scope. False when the
   * reservation had expired, been released or refused, or was unknown: then the charge came
   * on top of what others reserved and may take a scope past its limit.
   */
  covered: boolean;
  /** Task total after the call, micro-dollars (as SpendLedger.record). */
  taskTotalMicros: number;
  /** Tenant total after the call, micro-dollars. */
  tenantTotalMicros: number;
}

/** A scope's counters. */
export interface BudgetScopeState {
  /** Limit checked by the latest reservation; absent when no reservation was ever granted. */
  limitMicros?: number;
  spentMicros: number;
  /** Held by live reservations, and by expired ones until a reserve or sweep on the scope releases them. */
  reservedMicros: number;
}

/** How a reservation stands. */
export interface ReservationState {
  status: 'reserved' | 'refused' | 'settled' | 'released';
  amountMicros?: number;
  /** ms since epoch; reserved ones only. */
  expiresAt?: number;
  taskId?: string;
  tenantId?: string;
  model?: string;
  /** Ids of the reservation's scopes, sorted. */
  scopeIds: string[];
}

/** Default fraction of a limit under which a scope's remaining budget is low. */
export const DEFAULT_LOW_WATERMARK = 0.2;
/** Most scopes one reservation may span. */
export const MAX_BUDGET_SCOPES = 16;
const RELEASE_RETRIES = 5;

function checkMicros(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

function checkToken(name: string, value: string): string {
  if (value.length === 0 || value.length > 256 || /[{}\s]/.test(value)) {
    throw new RangeError(`${name} must be 1 to 256 characters without braces or whitespace, got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkNonEmpty(name: string, value: string): string {
  if (value.length === 0) throw new RangeError(`${name} must not be empty`);
  return value;
}

/** Validates scopes: at most 16, unique ids, integer limits and TTLs. Exported for tests. */
export function checkScopes(scopes: readonly BudgetScope[]): readonly BudgetScope[] {
  if (scopes.length > MAX_BUDGET_SCOPES) throw new RangeError(`at most ${MAX_BUDGET_SCOPES} scopes, got ${scopes.length}`);
  const seen = new Set<string>();
  for (const s of scopes) {
    checkToken('scope id', s.id);
    if (seen.has(s.id)) throw new RangeError(`scope ${s.id} is listed twice`);
    seen.add(s.id);
    checkMicros(`limitMicros of ${s.id}`, s.limitMicros);
    if (s.ttlSeconds !== undefined && (!Number.isSafeInteger(s.ttlSeconds) || s.ttlSeconds <= 0)) {
      throw new RangeError(`ttlSeconds of ${s.id} must be a positive integer, got ${s.ttlSeconds}`);
    }
  }
  return scopes;
}

/**
 * Threshold of the low watermark in integer micro-dollars: remaining < threshold ⇔
 * remaining < limit × fraction, for integer remaining.
 */
export function lowThreshold(limitMicros: number, lowWatermark: number): number {
  if (!(lowWatermark >= 0 && lowWatermark <= 1)) throw new RangeError(`lowWatermark must be within [0, 1], got ${lowWatermark}`);
  return Math.ceil(limitMicros * lowWatermark);
}

/**
 * What the task, tenant and scopes of a reservation are, in one string; both the record
 * and every later call carry it, so a settle or release for other scopes is caught. Scope
 * ids are sorted: a caller that rebuilds the list in another order still matches.
 */
export function reservationIdent(taskId: string, tenantId: string, scopeIds: readonly string[]): string {
  return [taskId, tenantId, ...[...scopeIds].sort()].join(' ');
}

/** Reads the outcome the reserve script stores and answers. Exported for tests. */
export function parseReserveOutcome(outcome: string, scopeIds: readonly string[]): ReserveResult {
  const [kind, ...rest] = outcome.split(' ');
  const nums = rest.map(Number);
  if (kind === 'closed') return { ok: false, reason: 'closed' };
  if (kind === 'refused' && nums.length === 4) {
    const [index, limitMicros, spentMicros, reservedMicros] = nums as [number, number, number, number];
    return { ok: false, reason: 'budget', scope: scopeIds[index] ?? `#${index}`, limitMicros, spentMicros, reservedMicros };
  }
  if (kind === 'ok' && nums.length === 2 * scopeIds.length) {
    const remainingMicros: Record<string, number> = {};
    const crossedLow: string[] = [];
    scopeIds.forEach((id, i) => {
      remainingMicros[id] = nums[2 * i] ?? 0;
      if (nums[2 * i + 1] === 1) crossedLow.push(id);
    });
    return { ok: true, remainingMicros, crossedLow };
  }
  throw new Error(`unexpected reservation outcome ${JSON.stringify(outcome)} for ${scopeIds.length} scopes`);
}

function toMicros(text: string | null | undefined): number {
  return text ? Number(text) : 0;
}

/**
 * Budget reservations across scopes, in integer micro-dollars. Before a model call the
 * caller reserves its worst-case cost in every budget that applies (task, tenant day,
 * global day...); after it, settles the actual cost, or releases the reservation when the
 * call did not happen. Each operation is one Lua script, so concurrent callers on any
 * replica see one order.
 *
 * Invariant: in every scope, at every moment, spent + reserved ≤ limit, provided every
 * settle charges at most the reserved amount while the reservation still holds. Two cases
 * can exceed it, by design: a settle with actual > reserved (reserve the worst case), and
 * a settle after the reservation expired or was released (the call happened, so its cost
 * is charged on top: pick `ttlMs` longer than the slowest call). The scope is then over its
 * limit and refuses every reservation until spending is back under it (a new day).
 *
 * Idempotency: reserve by reservation id, settle and release by their op ids (a command
 * ioredis re-sends answers as the first run did) and by state (a second settle or release
 * of the same reservation does nothing). Records live for the op TTL after their last
 * change, at least `ttlMs` + op TTL for a reservation; a usage event is charged once for
 * good (it shares SpendLedger's per-task record of usage events).
 *
 * Expiry is lazy: each scope keeps its holds by expiry time, and a reserve releases the
 * expired holds of its scopes before checking; `sweepExpired` does it on demand. Until then
 * an expired hold still counts as reserved, which errs on the side of refusing.
 *
 * Time is the caller's clock (`deps.now`): replicas need synchronized clocks (NTP); a skew
 * shifts when a reservation expires by that skew. Single-node Redis only, like SpendLedger.
 */
export class BudgetLedger {
  constructor(private readonly deps: StateDeps) {}

  /**
   * Reserves `amountMicros` in every scope, or in none when one would overshoot. A repeated
   * call with the same reservation id (or a re-send) answers the first outcome and never
   * reserves twice, whatever its other arguments. A refused id stays refused for the op TTL
   * even when room frees up: the caller acted on "refused" (failed or queued the step), and
   * a late duplicate of the same request must not quietly start a call nobody waits for.
   * Retry with a new reservation id.
   */
  async reserve(input: ReserveInput): Promise<ReserveResult> {
    const { keys, redis, opTtlSeconds } = this.deps;
    checkMicros('amountMicros', input.amountMicros);
    const scopes = checkScopes(input.scopes);
    if (!Number.isSafeInteger(input.ttlMs) || input.ttlMs <= 0) throw new RangeError(`ttlMs must be a positive integer, got ${input.ttlMs}`);
    const watermark = input.lowWatermark ?? DEFAULT_LOW_WATERMARK;
    checkToken('taskId', input.taskId);
    checkToken('tenantId', input.tenantId);
    checkNonEmpty('model', input.model);
    const now = this.nowMs();
    const scopeIds = scopes.map((s) => s.id);
    const outcome = await reserveScript.run(redis, {
      reservationKey: keys.budgetReservation(input.reservationId),
      opTtlSeconds,
      reservationId: input.reservationId,
      nowMs: now,
      expiresAtMs: now + input.ttlMs,
      amountMicros: input.amountMicros,
      recordTtlMs: input.ttlMs + opTtlSeconds * 1000,
      taskId: input.taskId,
      tenantId: input.tenantId,
      model: input.model,
      ident: reservationIdent(input.taskId, input.tenantId, scopeIds),
      scopes: scopes.map((s) => ({
        keys: this.scopeKeys(s.id),
        limitMicros: s.limitMicros,
        lowMicros: lowThreshold(s.limitMicros, watermark),
        ttlSeconds: s.ttlSeconds,
      })),
    });
    return parseReserveOutcome(outcome, scopeIds);
  }

  /**
   * Charges the actual cost: frees the reservation's hold in every scope that still has it,
   * adds the cost to every scope's spent and to the spend totals (task, tenant, tenant+model,
   * tenant+day: what SpendLedger reads). Charged once per reservation and once per usage
   * event; an expired, released, refused or unknown reservation is still charged (the call
   * happened), uncovered. A usage event already charged (by SpendLedger.record or another
   * settle) changes nothing: release such a reservation.
   */
  async settle(input: SettleInput): Promise<SettleResult> {
    const { keys, redis, opTtlSeconds } = this.deps;
    checkMicros('actualMicros', input.actualMicros);
    const scopes = checkScopes(input.scopes);
    checkNonEmpty('usageEventId', input.usageEventId);
    checkNonEmpty('model', input.model);
    checkToken('taskId', input.taskId);
    checkToken('tenantId', input.tenantId);
    const ident = reservationIdent(
      input.taskId,
      input.tenantId,
      scopes.map((s) => s.id),
    );
    const settled = await settleScript.run(redis, {
      reservationKey: keys.budgetReservation(input.reservationId),
      usageKey: keys.taskUsageEvents(input.taskId),
      taskTotalKey: keys.taskSpend(input.taskId),
      tenantTotalKey: keys.tenantSpend(input.tenantId),
      byModelKey: keys.tenantSpendByModel(input.tenantId),
      byDayKey: keys.tenantSpendByDay(input.tenantId),
      opTtlSeconds,
      reservationId: input.reservationId,
      usageEventId: input.usageEventId,
      opId: this.deps.newOpId(),
      actualMicros: input.actualMicros,
      model: input.model,
      day: utcDay(input.at ?? this.deps.now()),
      ident,
      scopes: scopes.map((s) => ({ keys: this.scopeKeys(s.id), ttlSeconds: s.ttlSeconds })),
    });
    if (settled.otherIdent !== undefined) {
      throw new RangeError(`reservation ${input.reservationId} is for ${JSON.stringify(settled.otherIdent)}, not ${JSON.stringify(ident)} (task tenant scopes)`);
    }
    const { applied, covered, taskTotalMicros, tenantTotalMicros } = settled;
    return { applied, covered, taskTotalMicros, tenantTotalMicros };
  }

  /**
   * Returns the reservation's amount to its scopes. Answers the micro-dollars this call
   * returned: 0 when it was settled, released or refused before, or had expired from every
   * scope. Releasing an id never reserved closes it: a reserve arriving later is refused
   * (`reason: 'closed'`).
   */
  async release(reservationId: string): Promise<number> {
    const { keys, redis, opTtlSeconds } = this.deps;
    const recordKey = keys.budgetReservation(reservationId);
    const opId = this.deps.newOpId();
    for (let attempt = 0; attempt < RELEASE_RETRIES; attempt += 1) {
      // The script may only touch keys it is given: learn the reservation's scopes first.
      const ident = (await redis.hget(recordKey, 'ident')) ?? '';
      const scopeIds = ident === '' ? [] : ident.split(' ').slice(2);
      const released = await releaseScript.run(redis, {
        reservationKey: recordKey,
        scopes: scopeIds.map((id) => this.scopeKeys(id)),
        opTtlSeconds,
        reservationId,
        opId,
        ident,
      });
      if (!released.stale) return released.releasedMicros;
    }
    throw new Error(`reservation ${reservationId} kept changing while being released`);
  }

  /**
   * Releases the holds of these scopes that expired by now (lazily done by every reserve on
   * the scope); returns how many holds it released.
   */
  async sweepExpired(scopeIds: readonly string[]): Promise<number> {
    if (scopeIds.length === 0) return 0;
    const scopes = scopeIds.map((id) => this.scopeKeys(checkToken('scope id', id)));
    let total = 0;
    for (;;) {
      const { released, capped } = await sweepBudgetScript.run(this.deps.redis, { scopes, nowMs: this.nowMs() });
      total += released;
      if (!capped) return total;
    }
  }

  /** A scope's counters (zero when it has none). */
  async scope(scopeId: string): Promise<BudgetScopeState> {
    const [limit, spent, reserved] = await this.deps.redis.hmget(this.deps.keys.budgetScope(scopeId), 'limit', 'spent', 'reserved');
    return {
      ...(limit === null ? {} : { limitMicros: Number(limit) }),
      spentMicros: toMicros(spent),
      reservedMicros: toMicros(reserved),
    };
  }

  /** How a reservation stands, or undefined when unknown (or forgotten after its TTL). */
  async reservation(reservationId: string): Promise<ReservationState | undefined> {
    return readReservation(await this.deps.redis.hgetall(this.deps.keys.budgetReservation(reservationId)));
  }

  private scopeKeys(scopeId: string): BudgetScopeKeys {
    const { keys } = this.deps;
    return { scopeKey: keys.budgetScope(scopeId), holdsKey: keys.budgetScopeHolds(scopeId), expiriesKey: keys.budgetScopeExpiries(scopeId) };
  }

  private nowMs(): number {
    const ms = this.deps.now().getTime();
    if (Number.isNaN(ms)) throw new RangeError('invalid date');
    return ms;
  }
}
