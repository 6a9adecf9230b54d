import type { BudgetPolicy } from './budget-policy';
import { tenantLimits, usdToMicros } from './budget-policy';

/** The level a budget scope applies at. */
export type BudgetLevel = 'task' | 'tenant' | 'global';

/** One budget a model call is reserved against. */
export interface BudgetScope {
  /** Redis-side id: `task:<id>`, `tenant:<id>:day:<yyyy-mm-dd>`, `global:day:<yyyy-mm-dd>`. */
  id: string;
  level: BudgetLevel;
  limitMicros: number;
  /** How long the scope's counters are kept after their last change. */
  ttlSeconds: number;
}

const DAY_SCOPE_TTL_SECONDS = 3 * 86_400;
const TASK_SCOPE_TTL_SECONDS = 8 * 86_400;

/** UTC day `yyyy-mm-dd`. */
function day(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The level of a scope id (`task:…`, `tenant:…`, `global:…`). */
export function scopeLevel(id: string): BudgetLevel {
  const level = id.slice(0, id.indexOf(':'));
  if (level === 'task' || level === 'tenant' || level === 'global') return level;
  throw new RangeError(`not a budget scope id: ${id}`);
}

/** How long the counters of a scope are kept, from its id (settling needs it when only ids are known). */
export function scopeTtlSeconds(id: string): number {
  return scopeLevel(id) === 'task' ? TASK_SCOPE_TTL_SECONDS : DAY_SCOPE_TTL_SECONDS;
}

/**
 * Every budget a model call of the task counts against, tightest first: the task's cap
 * (the task's own, when lower than the policy's), the tenant's day, and the global day
 * when the policy sets one. Scopes are per UTC day of `at`.
 */
export function budgetScopes(policy: BudgetPolicy, call: { taskId: string; tenantId: string; taskMaxMicros?: number; at: Date }): BudgetScope[] {
  const policyTask = usdToMicros(policy.task.maxUsd);
  const scopes: BudgetScope[] = [
    {
      id: `task:${call.taskId}`,
      level: 'task',
      limitMicros: call.taskMaxMicros === undefined ? policyTask : Math.min(policyTask, call.taskMaxMicros),
      ttlSeconds: TASK_SCOPE_TTL_SECONDS,
    },
  ];
  const tenant = tenantLimits(policy, call.tenantId);
  if (tenant.dailyUsd !== undefined) {
    scopes.push({ id: `tenant:${call.tenantId}:day:${day(call.at)}`, level: 'tenant', limitMicros: usdToMicros(tenant.dailyUsd), ttlSeconds: DAY_SCOPE_TTL_SECONDS });
  }
  if (policy.global.dailyUsd !== undefined) {
    scopes.push({ id: `global:day:${day(call.at)}`, level: 'global', limitMicros: usdToMicros(policy.global.dailyUsd), ttlSeconds: DAY_SCOPE_TTL_SECONDS });
  }
  return scopes;
}
