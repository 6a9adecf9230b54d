export { BUDGET_POLICY, BudgetPolicy, TenantLimits, parseBudgetPolicy, loadBudgetPolicy, tenantLimits, usdToMicros } from './budget-policy';
export { budgetScopes, scopeLevel, scopeTtlSeconds, type BudgetScope, type BudgetLevel } from './scopes';
export { worstCaseMicros, promptTokenBound, type CostedRequest, type CostedModel } from './worst-case';
