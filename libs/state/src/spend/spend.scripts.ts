import { luaScript, replyNumber } from '../lua/lua-script';
import type { SpendResult } from './spend-ledger';

/** The keys one charge updates; BudgetLedger's settle charges the same ones. */
export interface SpendKeys {
  /** KeySpace.taskUsageEvents: usage event id → op id of the charge. */
  usageKey: string;
  /** KeySpace.taskSpend. */
  taskTotalKey: string;
  /** KeySpace.tenantSpend. */
  tenantTotalKey: string;
  /** KeySpace.tenantSpendByModel. */
  byModelKey: string;
  /** KeySpace.tenantSpendByDay. */
  byDayKey: string;
}

/** One usage event's charge. */
export interface RecordSpendInput extends SpendKeys {
  usageEventId: string;
  /** This call's op id: a re-sent run finds it and answers applied. */
  opId: string;
  costMicros: number;
  model: string;
  /** UTC day (yyyy-mm-dd) of the per-day total. */
  day: string;
}

/**
 * Charges a usage event once per task (its id is remembered with the charging op id) and
 * answers the task and tenant totals (exact integers, as text).
 *
 * Redis Cluster: the tenant keys carry the tenant's hash tag, not the task's, so this
 * script fails there with CROSSSLOT. A cluster deployment must split it: this script on
 * the task's keys only, then a second script on the tenant's keys that is idempotent on
 * its own marker (tenant-tagged hash of usageEventIds), so a crash between the two is
 * repaired by the at-least-once re-delivery of the usage event.
 */
export const recordSpendScript = luaScript({
  command: 'batonRecordSpend',
  numberOfKeys: 5,
  lua: `
local prior = redis.call('HGET', KEYS[1], ARGV[1])
local applied = 0
if not prior then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('INCRBY', KEYS[2], ARGV[3])
  redis.call('INCRBY', KEYS[3], ARGV[3])
  redis.call('HINCRBY', KEYS[4], ARGV[4], ARGV[3])
  redis.call('HINCRBY', KEYS[5], ARGV[5], ARGV[3])
  applied = 1
elseif prior == ARGV[2] then
  applied = 1
end
return {applied, redis.call('GET', KEYS[2]) or '0', redis.call('GET', KEYS[3]) or '0'}
`,
  call: (i: RecordSpendInput) => ({
    keys: [i.usageKey, i.taskTotalKey, i.tenantTotalKey, i.byModelKey, i.byDayKey],
    argv: [i.usageEventId, i.opId, i.costMicros, i.model, i.day],
  }),
  reply: ([applied, taskTotal, tenantTotal]: [number, string, string]): SpendResult => ({
    applied: applied === 1,
    taskTotalMicros: replyNumber(taskTotal),
    tenantTotalMicros: replyNumber(tenantTotal),
  }),
});
