import type { ErrorInfo } from '@baton/contracts';
import { rateScopeIds } from '@baton/state';
import { budgetScopes, tenantLimits, worstCaseMicros, type BudgetPolicy, type BudgetScope, type CostedModel, type CostedRequest } from '@baton/budget';

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
