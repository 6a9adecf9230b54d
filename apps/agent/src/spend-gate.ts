import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BUDGET_POLICY, budgetScopes, promptTokenBound, tenantLimits, worstCaseMicros, type BudgetLevel, type BudgetPolicy, type BudgetScope, type CostedModel, type CostedRequest } from '@baton/budget';
import { causedBy, createEvent, type BatonEvent, type ErrorInfo } from '@baton/contracts';
import type { ChatRequest, ChatResult, ModelCatalog } from '@baton/llm';
import type { MessageBus } from '@baton/messaging';
import { BUS, STATE_STORE } from '@baton/service-kit';
import { cutOffUsage, rateScopeIds, type OrphanReservation, type StateStore } from '@baton/state';
import type { Attempt } from './attempt';
import { MODEL_CATALOG } from './config';

/*
 * All an agent spends, in one place: per-minute rate capacity, the worst-case reservation of
 * each model call on the task's, tenant's and global budgets (charging first what a dead run
 * of the attempt left held), the usage each call publishes, and the budget events of an attempt.
 */

/** A budget scope an attempt pushed under its low-water mark, for `budget.low`. */
export type LowScope = { level: BudgetLevel; limitMicros: number; remainingMicros: number };

/** Longest an agent waits for per-minute capacity before trying another model. */
const MAX_RATE_WAIT_MS = 10_000;

/** A held reservation, as the usage event carries it for the cost accountant to settle. */
type HeldReservation = { id: string; scopes: string[]; amountMicros: number };

/**
 * The gate every model call of an attempt goes through (`call`), and what an attempt's spending
 * adds to its result (`close`). The attempt keeps the reservations and budget findings.
 */
@Injectable()
export class SpendGate {
  private readonly log = new Logger('agent');

  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(BUDGET_POLICY) private readonly budgets: BudgetPolicy,
    @Inject(MODEL_CATALOG) private readonly catalog: ModelCatalog,
  ) {}

  /**
   * One model call of the attempt, paid for: its completion capped by the budget policy, it
   * waits for per-minute capacity (RateLimitedError when none comes), reserves its worst case
   * (BudgetRefusedError when a budget cannot cover it), and publishes its usage with the
   * reservation as soon as it returns. A call that fails releases its reservation.
   */
  async call(attempt: Attempt, request: ChatRequest, chat: (req: ChatRequest) => Promise<ChatResult>): Promise<ChatResult> {
    const spec = this.catalog.get(request.model);
    const req = { ...request, maxTokens: Math.min(this.budgets.maxCompletionTokens, spec.maxOutputTokens) };
    await this.takeRate(attempt.tenantId, req, spec.rateLimits);
    const reservation = await this.reserve(attempt, req);
    let result: ChatResult;
    try {
      result = await chat(req);
    } catch (err) {
      await this.state.budgets.release(reservation.id);
      throw err;
    }
    // Charged as soon as it is spent: a crash later in the conversation must not leave this
    // call unpaid, and the id comes from this call's reservation, so a rerun's calls are
    // charged as the new calls they are while a redelivered usage is charged once. A crash
    // during the call leaves its reservation held: the step's rerun charges it (reserve).
    await this.bus.publish(
      createEvent('llm.usage', causedBy(attempt.event, `agent.usage:${reservation.id}`), {
        ...attempt.ref,
        model: result.model,
        provider: result.provider,
        promptTokens: result.usage.promptTokens,
        completionTokens: result.usage.completionTokens,
        latencyMs: result.latencyMs,
        reservation,
      }),
    );
    return result;
  }

  /**
   * After the attempt's last call: the usage of calls a dead run that got further than this one
   * (its model answered differently) left held, `budget.low` for every scope the attempt pushed
   * under its low-water mark and `budget.exhausted` for each refusal, their audit entries kept
   * on the attempt.
   */
  async close(attempt: Attempt): Promise<BatonEvent[]> {
    const cutOff = (await attempt.reservations.beyond()).map((o) => this.estimatedUsage(attempt, o));
    return [...cutOff, ...this.budgetEvents(attempt)];
  }

  /** Waits (briefly) for per-minute capacity of the tenant and the model; throws RateLimitedError when it does not come. */
  private async takeRate(tenantId: string, req: ChatRequest, modelLimits: { requestsPerMinute?: number; tokensPerMinute?: number } | undefined): Promise<void> {
    // Like providers' own limiters, requested completion tokens count in full.
    const tokens = Math.ceil(promptTokenBound(req) / 4) + (req.maxTokens ?? 0);
    const { scopes, costs } = rateScopes(this.budgets, { tenantId, model: req.model, tokens, ...(modelLimits ? { modelLimits } : {}) });
    if (!scopes.length) return;
    const opId = randomUUID();
    const started = Date.now();
    for (;;) {
      const taken = await this.state.rates.take({ scopes, costs, opId });
      if (taken.ok) return;
      const waited = Date.now() - started;
      if (waited + taken.retryAfterMs > MAX_RATE_WAIT_MS) throw new RateLimitedError(taken.scope, taken.retryAfterMs);
      await new Promise((r) => setTimeout(r, Math.max(10, taken.retryAfterMs)));
    }
  }

  /**
   * Reserves the call's worst case on every budget at once; throws BudgetRefusedError when one
   * cannot cover it. The id is this call's next free generation; a reservation of the same
   * call that a dead run of this attempt left held is charged first (call-reservations.ts).
   */
  private async reserve(attempt: Attempt, req: ChatRequest): Promise<HeldReservation> {
    const model = req.model;
    const maxMicros = attempt.step.maxCostMicros;
    const { taskId, tenantId } = attempt;
    const { scopes, amountMicros } = reservationFor(this.budgets, {
      taskId,
      tenantId,
      ...(maxMicros !== undefined ? { taskMaxMicros: maxMicros } : {}),
      model: this.catalog.get(model),
      request: req,
      at: new Date(),
    });
    const { reservationId: id, result: r } = await attempt.reservations.reserveNext(
      { taskId, tenantId, model, amountMicros, scopes, ttlMs: this.budgets.reservationTtlSeconds * 1000, lowWatermark: this.budgets.lowWatermark },
      (orphans) => this.bus.publishAll(orphans.map((o) => this.estimatedUsage(attempt, o))),
    );
    // The probe found no record under this id and only this run uses it (the step lease): a
    // refusal of that kind would be a defect, and the bus retries it.
    if (!r.ok && r.reason === 'closed') throw new Error(`reservation ${id} was closed before it was made`);
    if (!r.ok) {
      const scope = scopes.find((s) => s.id === r.scope);
      const refusal = new BudgetRefusedError({
        scope: r.scope,
        level: scope?.level ?? 'task',
        limitMicros: r.limitMicros,
        spentMicros: r.spentMicros,
        reservedMicros: r.reservedMicros,
        requestedMicros: amountMicros,
        model,
      });
      attempt.budgetRefused(refusal);
      throw refusal;
    }
    for (const crossed of r.crossedLow) {
      const scope = scopes.find((s) => s.id === crossed);
      if (scope) attempt.budgetLow(crossed, { level: scope.level, limitMicros: scope.limitMicros, remainingMicros: r.remainingMicros[crossed] ?? 0 });
    }
    return { id, scopes: scopes.map((s) => s.id), amountMicros };
  }

  /** The usage of a call a dead run of this attempt was in; its own id, so a late real usage and this one charge the reservation once. */
  private estimatedUsage(attempt: Attempt, orphan: OrphanReservation): BatonEvent {
    const { stepId, number } = attempt;
    this.log.warn(`task ${attempt.taskId}: charging call ${orphan.id} of ${stepId} attempt ${number} at its worst case: a run that died was in it`);
    const usage = cutOffUsage(orphan, { stepId, attempt: number, model: attempt.step.model }, (m) => (this.catalog.has(m) ? this.catalog.get(m).provider : 'unknown'));
    return createEvent('llm.usage', causedBy(attempt.event, `agent.usage.estimated:${orphan.id}`), usage);
  }

  /** `budget.low` and `budget.exhausted` of the attempt, their audit entries added to the attempt's. */
  private budgetEvents(attempt: Attempt): BatonEvent[] {
    const { event } = attempt;
    const actor = `agent:${attempt.role}`;
    const out: BatonEvent[] = [];
    for (const [scope, l] of attempt.lowScopes) {
      out.push(createEvent('budget.low', causedBy(event, `agent.budget.low:${scope}`), { scope, ...l }));
      attempt.audit({ category: 'budget', actor, decision: 'low', reason: `${scope} has ${l.remainingMicros} of ${l.limitMicros} µ$ left`, subject: scope });
    }
    attempt.budgetRefusals.forEach((r, i) => {
      const { scope, level, limitMicros, spentMicros, reservedMicros, requestedMicros, model } = r.refusal;
      out.push(createEvent('budget.exhausted', causedBy(event, `agent.budget.exhausted:${i}`), { ...attempt.ref, scope, level, limitMicros, spentMicros, reservedMicros, requestedMicros, model }));
      attempt.audit({ category: 'budget', actor, decision: 'reserve_refused', reason: r.message, subject: scope, details: { model, requestedMicros } });
    });
    return out;
  }
}

/** A model call the budgets cannot cover; the fallback loop tries the next (maybe cheaper) model. */
export class BudgetRefusedError extends Error {
  override readonly name = 'BudgetRefusedError';
  constructor(
    readonly refusal: { scope: string; level: BudgetScope['level']; limitMicros: number; spentMicros: number; reservedMicros: number; requestedMicros: number; model: string },
  ) {
    super(`${refusal.level} budget ${refusal.scope} cannot cover ${refusal.model}'s worst case of ${refusal.requestedMicros} µ$ (limit ${refusal.limitMicros}, spent ${refusal.spentMicros}, reserved ${refusal.reservedMicros})`);
  }
}

/** A model call over a per-minute limit for longer than the agent waits; the fallback loop tries the next model. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    readonly scope: string,
    readonly retryAfterMs: number,
  ) {
    super(`rate limit ${scope} is spent; retry in ${retryAfterMs} ms`);
  }
}

/** The per-minute limits one model call counts against, with what it costs in each. */
export function rateScopes(
  policy: BudgetPolicy,
  call: { tenantId: string; model: string; modelLimits?: { requestsPerMinute?: number; tokensPerMinute?: number }; tokens: number },
): { scopes: Array<{ id: string; limit: number; windowMs: number }>; costs: number[] } {
  const scopes: Array<{ id: string; limit: number; windowMs: number }> = [];
  const costs: number[] = [];
  const add = (id: string, limit: number | undefined, cost: number): void => {
    if (limit === undefined) return;
    scopes.push({ id, limit, windowMs: 60_000 });
    costs.push(cost);
  };
  const t = tenantLimits(policy, call.tenantId);
  add(rateScopeIds.tenantRpm(call.tenantId), t.requestsPerMinute, 1);
  add(rateScopeIds.tenantTpm(call.tenantId), t.tokensPerMinute, call.tokens);
  add(rateScopeIds.modelRpm(call.model), call.modelLimits?.requestsPerMinute, 1);
  add(rateScopeIds.modelTpm(call.model), call.modelLimits?.tokensPerMinute, call.tokens);
  return { scopes, costs };
}

/** Budgets and the worst case of one call, ready for the ledger. */
export function reservationFor(
  policy: BudgetPolicy,
  call: { taskId: string; tenantId: string; taskMaxMicros?: number; model: CostedModel; request: CostedRequest; at: Date },
): { scopes: BudgetScope[]; amountMicros: number } {
  return {
    scopes: budgetScopes(policy, { taskId: call.taskId, tenantId: call.tenantId, ...(call.taskMaxMicros !== undefined ? { taskMaxMicros: call.taskMaxMicros } : {}), at: call.at }),
    amountMicros: worstCaseMicros(call.model, call.request),
  };
}

/** How an attempt whose every model was refused by a budget is reported to the planner. */
export function budgetExhaustedError(refusals: readonly BudgetRefusedError[]): ErrorInfo {
  const first = refusals[0]?.refusal;
  return {
    kind: 'policy',
    code: 'budget_exhausted',
    message: refusals.map((r) => r.message).join('; ') || 'a budget is exhausted',
    ...(first ? { details: { scope: first.scope, level: first.level, limitMicros: first.limitMicros } } : {}),
  };
}
