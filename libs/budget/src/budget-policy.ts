import { join, resolve } from 'node:path';
import { z } from 'zod';
import { findUpward, readYamlFile, token } from '@baton/config';

/** US dollars in the policy file; everything downstream works in integer micro-dollars. */
const Usd = z.number().finite().nonnegative();

/** A tenant's limits; any field left out falls back to `tenants.default`. */
export const TenantLimits = z.strictObject({
  /** Spend per UTC day across all the tenant's tasks. */
  dailyUsd: Usd.optional(),
  /** Tasks the tenant may submit per minute (gateway 429 / Kafka back-pressure). */
  tasksPerMinute: z.number().int().positive().optional(),
  /** Model calls per minute for the tenant's tasks, across every agent replica. */
  requestsPerMinute: z.number().int().positive().optional(),
  /** Prompt plus completion tokens per minute for the tenant's tasks (estimated before the call). */
  tokensPerMinute: z.number().int().positive().optional(),
});
export type TenantLimits = z.infer<typeof TenantLimits>;

/** The budget and rate-limit policy (config/budgets.yaml). */
export const BudgetPolicy = z.strictObject({
  version: z.literal(1),
  /** Fraction of a budget left at which `budget.low` is emitted and the router switches to cheaper models. */
  lowWatermark: z.number().gt(0).lt(1).default(0.2),
  /** A reservation never settled (the agent died mid-call) returns to the budget after this long. */
  reservationTtlSeconds: z.number().int().min(10).max(86_400).default(600),
  /** Completion tokens asked of a model per call (capped by the model's own maximum); bounds the worst case. */
  maxCompletionTokens: z.number().int().positive().default(2048),
  /** What an exhausted budget does to the task: stop it with `budget_exhausted`, or escalate to a human. */
  onExhausted: z.enum(['stop', 'escalate']).default('stop'),
  /** Default cap per task; a task's own `limits.maxCostUsd` may lower it. */
  task: z.strictObject({ maxUsd: Usd }),
  /** Per-tenant limits; `default` applies to every tenant not listed and fills gaps of those listed. */
  tenants: z.record(z.string(), TenantLimits).refine((t) => t['default'] !== undefined, { message: 'tenants.default is required' }),
  /** Limits across all tenants. */
  global: z.strictObject({ dailyUsd: Usd.optional() }).default({}),
});
export type BudgetPolicy = z.infer<typeof BudgetPolicy>;

/** Nest injection token of the loaded policy. */
export const BUDGET_POLICY = token<BudgetPolicy>('BATON_BUDGET_POLICY');

/** Micro-dollars of a dollar amount, rounded down (a limit never grows by rounding). */
export function usdToMicros(usd: number): number {
  return Math.floor(usd * 1_000_000 + 1e-6);
}

/** Validates a parsed policy file; the error names every bad field. */
export function parseBudgetPolicy(raw: unknown, source = 'budget policy'): BudgetPolicy {
  const parsed = BudgetPolicy.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${source} is invalid: ${issues}`);
  }
  return parsed.data;
}

/** Reads the policy from `file`, else BATON_BUDGETS, else config/budgets.yaml found upward from the working folder. */
export function loadBudgetPolicy(file: string | undefined = process.env['BATON_BUDGETS']): BudgetPolicy {
  const path = file ? resolve(file) : findUpward(join('config', 'budgets.yaml'));
  if (!path) throw new Error('cannot find config/budgets.yaml: set BATON_BUDGETS to the budget policy file');
  return parseBudgetPolicy(readYamlFile(path, 'budget policy'), `budget policy ${path}`);
}

/** A tenant's effective limits: its own entry over `default`. */
export function tenantLimits(policy: BudgetPolicy, tenantId: string): TenantLimits {
  return { ...policy.tenants['default'], ...(policy.tenants[tenantId] ?? {}) };
}
