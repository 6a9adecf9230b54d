import { utcDay, checkDay } from '../keys';
import type { StateDeps } from '../state-deps';
import { recordSpendScript } from './spend.scripts';

/** One model call's cost, as reported by a usage event. */
export interface UsageCharge {
  /** Id of the usage event; the ledger charges each id once per task. */
  usageEventId: string;
  /** Task the call was made for. */
  taskId: string;
  /** Tenant charged. */
  tenantId: string;
  /** Model id, the key of the per-model totals. */
  model: string;
  /** Cost in integer micro-dollars (1e-6 USD), so totals add up exactly. */
  costMicros: number;
  /** When the call happened; picks the UTC day bucket. Defaults to now. */
  at?: Date;
}

/** Outcome of recording a charge. */
export interface SpendResult {
  /** True when this call charged the usage (false for a duplicate). */
  applied: boolean;
  /** Task total after the call, micro-dollars. */
  taskTotalMicros: number;
  /** Tenant total after the call, micro-dollars. */
  tenantTotalMicros: number;
}

function toMicros(text: string | null | undefined): number {
  return text ? Number(text) : 0;
}

/**
 * Spend totals per task, tenant, tenant+model and tenant+UTC day. Recording is one
 * script, idempotent by usage event id: a redelivered usage event or a command ioredis
 * re-sends never charges twice. Single-node Redis only for now: see recordSpendScript.
 */
export class SpendLedger {
  constructor(private readonly deps: StateDeps) {}

  /** Charges the usage once; returns the totals either way. */
  async record(u: UsageCharge): Promise<SpendResult> {
    if (!Number.isSafeInteger(u.costMicros) || u.costMicros < 0) {
      throw new RangeError(`costMicros must be a non-negative integer, got ${u.costMicros}`);
    }
    if (u.usageEventId.length === 0 || u.model.length === 0) {
      throw new RangeError('usageEventId and model must not be empty');
    }
    const { redis, keys } = this.deps;
    return recordSpendScript.run(redis, {
      usageKey: keys.taskUsageEvents(u.taskId),
      taskTotalKey: keys.taskSpend(u.taskId),
      tenantTotalKey: keys.tenantSpend(u.tenantId),
      byModelKey: keys.tenantSpendByModel(u.tenantId),
      byDayKey: keys.tenantSpendByDay(u.tenantId),
      usageEventId: u.usageEventId,
      opId: this.deps.newOpId(),
      costMicros: u.costMicros,
      model: u.model,
      day: utcDay(u.at ?? this.deps.now()),
    });
  }

  /** Micro-dollars spent on the task. */
  async taskTotal(taskId: string): Promise<number> {
    return toMicros(await this.deps.redis.get(this.deps.keys.taskSpend(taskId)));
  }

  /** Ids of the usage events charged to the task (each charged once), in no particular order. */
  async chargedUsageEvents(taskId: string): Promise<string[]> {
    return this.deps.redis.hkeys(this.deps.keys.taskUsageEvents(taskId));
  }

  /** Micro-dollars spent by the tenant, all time. */
  async tenantTotal(tenantId: string): Promise<number> {
    return toMicros(await this.deps.redis.get(this.deps.keys.tenantSpend(tenantId)));
  }

  /** Micro-dollars spent by the tenant per model. */
  async tenantByModel(tenantId: string): Promise<Record<string, number>> {
    const hash = await this.deps.redis.hgetall(this.deps.keys.tenantSpendByModel(tenantId));
    return Object.fromEntries(Object.entries(hash).map(([model, micros]) => [model, toMicros(micros)]));
  }

  /** Micro-dollars spent by the tenant on one UTC day (`yyyy-mm-dd`). */
  async tenantByDay(tenantId: string, day: string): Promise<number> {
    return toMicros(await this.deps.redis.hget(this.deps.keys.tenantSpendByDay(tenantId), checkDay(day)));
  }
}
