import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BUDGET_POLICY, promptTokenBound, type BudgetLevel, type BudgetPolicy } from '@baton/budget';
import { causedBy, createEvent, type BatonEvent, type StepRequested } from '@baton/contracts';
import type { ChatRequest, ModelCatalog } from '@baton/llm';
import type { MessageBus } from '@baton/messaging';
import { BUS, STATE_STORE, type AuditEntry } from '@baton/service-kit';
import { cutOffUsage, type CallReservations, type OrphanReservation, type StateStore } from '@baton/state';
import { MODEL_CATALOG } from './config';
import { BudgetRefusedError, RateLimitedError, rateScopes, reservationFor } from './spend-gate';

/** A budget scope an attempt pushed under its low-water mark, for `budget.low`. */
export type LowScope = { level: BudgetLevel; limitMicros: number; remainingMicros: number };

/** Longest an agent waits for per-minute capacity before trying another model. */
const MAX_RATE_WAIT_MS = 10_000;

/**
 * What a step's model calls may spend: per-minute rate capacity, the worst-case reservation
 * of each call on the budgets (charging first what a dead run of the attempt left held), and
 * the budget events and audit entries of an attempt.
 */
@Injectable()
export class StepSpend {
  private readonly log = new Logger('agent');

  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(BUDGET_POLICY) private readonly budgets: BudgetPolicy,
    @Inject(MODEL_CATALOG) private readonly catalog: ModelCatalog,
  ) {}

  /** Waits (briefly) for per-minute capacity of the tenant and the model; throws RateLimitedError when it does not come. */
  async takeRate(tenantId: string, model: string, req: ChatRequest, modelLimits: { requestsPerMinute?: number; tokensPerMinute?: number } | undefined): Promise<void> {
    // Like providers' own limiters, requested completion tokens count in full.
    const tokens = Math.ceil(promptTokenBound(req) / 4) + (req.maxTokens ?? 0);
    const { scopes, costs } = rateScopes(this.budgets, { tenantId, model, tokens, ...(modelLimits ? { modelLimits } : {}) });
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
  async reserve(
    event: StepRequested,
    model: string,
    req: ChatRequest,
    reservations: CallReservations,
    low: Map<string, LowScope>,
    refusals: BudgetRefusedError[],
  ): Promise<{ id: string; scopes: string[]; amountMicros: number }> {
    const d = event.data;
    const { scopes, amountMicros } = reservationFor(this.budgets, {
      taskId: event.taskId,
      tenantId: event.tenantId,
      ...(d.maxCostMicros !== undefined ? { taskMaxMicros: d.maxCostMicros } : {}),
      model: this.catalog.get(model),
      request: req,
      at: new Date(),
    });
    const slot = await reservations.next();
    // Published before this call reserves: settling frees the dead run's hold on the budgets.
    if (slot.orphans.length) await this.bus.publishAll(slot.orphans.map((o) => this.estimatedUsage(event, o)));
    const id = slot.reservationId;
    const r = await this.state.budgets.reserve({
      reservationId: id,
      taskId: event.taskId,
      tenantId: event.tenantId,
      model,
      amountMicros,
      scopes,
      ttlMs: this.budgets.reservationTtlSeconds * 1000,
      lowWatermark: this.budgets.lowWatermark,
    });
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
      refusals.push(refusal);
      throw refusal;
    }
    for (const crossed of r.crossedLow) {
      const scope = scopes.find((s) => s.id === crossed);
      if (scope) low.set(crossed, { level: scope.level, limitMicros: scope.limitMicros, remainingMicros: r.remainingMicros[crossed] ?? 0 });
    }
    return { id, scopes: scopes.map((s) => s.id), amountMicros };
  }

  /** The usage of a call a dead run of this attempt was in; its own id, so a late real usage and this one charge the reservation once. */
  estimatedUsage(event: StepRequested, orphan: OrphanReservation): BatonEvent {
    const { stepId, attempt, model } = event.data;
    this.log.warn(`task ${event.taskId}: charging call ${orphan.id} of ${stepId} attempt ${attempt} at its worst case: a run that died was in it`);
    return createEvent('llm.usage', causedBy(event, `agent.usage.estimated:${orphan.id}`), cutOffUsage(orphan, { stepId, attempt, model }, (m) => this.providerOf(m)));
  }

  private providerOf(model: string): string {
    return this.catalog.has(model) ? this.catalog.get(model).provider : 'unknown';
  }

  /** `budget.low` for every scope this attempt pushed under its low-water mark, `budget.exhausted` for each refusal, with their audit entries. */
  budgetEvents(
    event: StepRequested,
    low: Map<string, LowScope>,
    refusals: BudgetRefusedError[],
    audits: AuditEntry[],
  ): BatonEvent[] {
    const out: BatonEvent[] = [];
    for (const [scope, l] of low) {
      out.push(createEvent('budget.low', causedBy(event, `agent.budget.low:${scope}`), { scope, ...l }));
      audits.push({ category: 'budget', actor: `agent:${event.data.role}`, decision: 'low', reason: `${scope} has ${l.remainingMicros} of ${l.limitMicros} µ$ left`, subject: scope });
    }
    refusals.forEach((r, i) => {
      const { scope, level, limitMicros, spentMicros, reservedMicros, requestedMicros, model } = r.refusal;
      out.push(createEvent('budget.exhausted', causedBy(event, `agent.budget.exhausted:${i}`), { stepId: event.data.stepId, attempt: event.data.attempt, scope, level, limitMicros, spentMicros, reservedMicros, requestedMicros, model }));
      audits.push({ category: 'budget', actor: `agent:${event.data.role}`, decision: 'reserve_refused', reason: r.message, subject: scope, details: { model, requestedMicros } });
    });
    return out;
  }
}
