import { tenantLimits, usdToMicros, type BudgetPolicy } from '@baton/budget';
import type { PolicyPick } from './routing-config';

/** What the router reads of a budget scope (the ledger's `scope`). */
export interface ScopeState {
  spentMicros: number;
  reservedMicros: number;
}

/**
 * The routing policy once the tenant's day budget is considered: below the low-water mark
 * (the same mark at which the agents publish `budget.low`), new work goes to the cheapest
 * eligible models, unless the task itself asked for a policy. Every router replica reads
 * the same scope, so all switch at once and switch back the next day.
 */
export function withBudget(pick: PolicyPick, policy: BudgetPolicy, tenantId: string, scope: ScopeState): PolicyPick {
  if (pick.source === 'task' || pick.policy === 'cheapest') return pick;
  const daily = tenantLimits(policy, tenantId).dailyUsd;
  if (daily === undefined) return pick;
  const limit = usdToMicros(daily);
  const remaining = limit - scope.spentMicros - scope.reservedMicros;
  return remaining < limit * policy.lowWatermark ? { policy: 'cheapest', source: 'budget-low' } : pick;
}
