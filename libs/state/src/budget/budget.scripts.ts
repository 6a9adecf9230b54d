import { luaScript, replyNumber } from '../lua/lua-script';
import type { SpendKeys } from '../spend/spend.scripts';

/*
 * Budget reservations (see BudgetLedger). Each scope has three keys: its hash (`limit`,
 * `spent`, `reserved`, `low`), the holds (reservationId → micro-dollars held in this scope)
 * and the holds' expiries (sorted set by ms). A scope keeps its own holds, so it releases
 * an expired one without reading the reservation record, and settle and release free a
 * hold in every scope that still has it. Amounts are integer strings moved with
 * INCRBY/HINCRBY; the Lua arithmetic (doubles) is exact below 2^53 and only compares.
 *
 * Scope keys are tagged by scope id and the record by reservation id, so these scripts
 * are single-node only, like recordSpendScript (which settle extends).
 *
 * The scripts take a variable number of scopes, so they are defined without numberOfKeys:
 * the key count goes first (luaScript does it).
 */

/** The three keys of one scope. */
export interface BudgetScopeKeys {
  /** KeySpace.budgetScope. */
  scopeKey: string;
  /** KeySpace.budgetScopeHolds. */
  holdsKey: string;
  /** KeySpace.budgetScopeExpiries. */
  expiriesKey: string;
}

const scopeKeyList = (scopes: readonly BudgetScopeKeys[]): string[] => scopes.flatMap((s) => [s.scopeKey, s.holdsKey, s.expiriesKey]);

/** Lua helpers shared by the budget scripts. */
const BUDGET_LIB = `
local function releaseHold(scope, holds, expiries, id)
  local held = redis.call('HGET', holds, id)
  redis.call('ZREM', expiries, id)
  if not held then return false end
  redis.call('HDEL', holds, id)
  if held ~= '0' then redis.call('HINCRBY', scope, 'reserved', '-' .. held) end
  return held
end
local function sweep(scope, holds, expiries, now)
  local ids = redis.call('ZRANGEBYSCORE', expiries, '-inf', now, 'LIMIT', 0, 500)
  for _, id in ipairs(ids) do releaseHold(scope, holds, expiries, id) end
  return #ids
end
local function touch(scope, holds, expiries, ttl)
  if ttl ~= '0' then
    redis.call('EXPIRE', scope, ttl)
    redis.call('EXPIRE', holds, ttl)
    redis.call('EXPIRE', expiries, ttl)
  end
end
local function keepAtLeast(key, ms)
  if redis.call('PTTL', key) < ms then redis.call('PEXPIRE', key, ms) end
end
`;

/** A reservation across scopes; see reserveScript. */
export interface ReserveScriptInput {
  /** KeySpace.budgetReservation. */
  reservationKey: string;
  opTtlSeconds: number;
  reservationId: string;
  nowMs: number;
  /** When the holds expire, ms since epoch. */
  expiresAtMs: number;
  amountMicros: number;
  /** How long the record lives, ms. */
  recordTtlMs: number;
  taskId: string;
  tenantId: string;
  model: string;
  /** reservationIdent of the task, tenant and scopes. */
  ident: string;
  /** In the caller's order: an outcome names a scope by its index. */
  scopes: readonly {
    keys: BudgetScopeKeys;
    limitMicros: number;
    /** Remaining budget under which the scope counts as low, micro-dollars. */
    lowMicros: number;
    /** How long the scope's keys live after this write; absent: forever. */
    ttlSeconds?: number;
  }[];
}

/**
 * Reserves in every scope or in none. Returns the outcome, remembered in the record so a
 * repeated reserve answers it again: 'ok' then per scope (remaining, 1 when this call
 * crossed the low watermark else 0); 'refused <scope index> <limit> <spent> <reserved>';
 * 'closed' when the id was settled or released before it was reserved
 * (parseReserveOutcome reads it).
 */
export const reserveScript = luaScript({
  command: 'batonReserve',
  numberOfKeys: 'variadic',
  lua:
    BUDGET_LIB +
    `
local rec = KEYS[1]
local prior = redis.call('HMGET', rec, 'status', 'outcome')
if prior[1] then return prior[2] or 'closed' end
local n = tonumber(ARGV[11])
for i = 1, n do
  local k = 3 * i - 1
  sweep(KEYS[k], KEYS[k + 1], KEYS[k + 2], ARGV[3])
end
local amount = tonumber(ARGV[5])
local spent, reserved = {}, {}
for i = 1, n do
  local k = 3 * i - 1
  local limit = tonumber(ARGV[9 + 3 * i])
  local v = redis.call('HMGET', KEYS[k], 'spent', 'reserved')
  spent[i] = tonumber(v[1] or '0')
  reserved[i] = tonumber(v[2] or '0')
  if spent[i] + reserved[i] + amount > limit then
    local outcome = string.format('refused %d %d %d %d', i - 1, limit, spent[i], reserved[i])
    redis.call('HSET', rec, 'status', 'refused', 'outcome', outcome, 'ident', ARGV[10], 'amount', ARGV[5])
    redis.call('EXPIRE', rec, ARGV[1])
    return outcome
  end
end
local parts = {'ok'}
for i = 1, n do
  local k = 3 * i - 1
  local a = 9 + 3 * i
  redis.call('HINCRBY', KEYS[k], 'reserved', ARGV[5])
  redis.call('HSET', KEYS[k], 'limit', ARGV[a])
  redis.call('HSET', KEYS[k + 1], ARGV[2], ARGV[5])
  redis.call('ZADD', KEYS[k + 2], ARGV[4], ARGV[2])
  local remaining = tonumber(ARGV[a]) - spent[i] - reserved[i] - amount
  local low = 0
  if remaining < tonumber(ARGV[a + 1]) and redis.call('HSETNX', KEYS[k], 'low', '1') == 1 then low = 1 end
  touch(KEYS[k], KEYS[k + 1], KEYS[k + 2], ARGV[a + 2])
  parts[#parts + 1] = string.format('%d %d', remaining, low)
end
local outcome = table.concat(parts, ' ')
redis.call('HSET', rec, 'status', 'reserved', 'outcome', outcome, 'ident', ARGV[10], 'amount', ARGV[5],
  'taskId', ARGV[7], 'tenantId', ARGV[8], 'model', ARGV[9], 'expiresAt', ARGV[4])
redis.call('PEXPIRE', rec, ARGV[6])
return outcome
`,
  call: (i: ReserveScriptInput) => ({
    keys: [i.reservationKey, ...scopeKeyList(i.scopes.map((s) => s.keys))],
    argv: [
      i.opTtlSeconds,
      i.reservationId,
      i.nowMs,
      i.expiresAtMs,
      i.amountMicros,
      i.recordTtlMs,
      i.taskId,
      i.tenantId,
      i.model,
      i.ident,
      i.scopes.length,
      // Per scope: limit, low threshold, TTL s (0 = none).
      ...i.scopes.flatMap((s) => [s.limitMicros, s.lowMicros, s.ttlSeconds ?? 0]),
    ],
  }),
  reply: (outcome: string) => outcome,
});

/** Settling a reservation with the call's actual cost; see settleScript. */
export interface SettleScriptInput extends SpendKeys {
  /** KeySpace.budgetReservation. */
  reservationKey: string;
  opTtlSeconds: number;
  reservationId: string;
  usageEventId: string;
  /** This call's op id. */
  opId: string;
  actualMicros: number;
  /** Model actually called: keys the per-model total. */
  model: string;
  /** UTC day (yyyy-mm-dd) of the per-day total. */
  day: string;
  /** reservationIdent of the task, tenant and scopes the caller names. */
  ident: string;
  scopes: readonly {
    keys: BudgetScopeKeys;
    /** How long the scope's keys live after this write; absent: forever. */
    ttlSeconds?: number;
  }[];
}

/** What settling did; `otherIdent` when the reservation belongs to other scopes (nothing changed). */
export type SettleReply =
  | { otherIdent: string }
  | { otherIdent?: undefined; applied: boolean; covered: boolean; taskTotalMicros: number; tenantTotalMicros: number };

/**
 * Frees the reservation's hold in every scope that still has it and charges the actual cost
 * to every scope's `spent` and to the spend totals, once per reservation and once per usage
 * event. `covered`: a scope still held the reservation.
 */
export const settleScript = luaScript({
  command: 'batonSettle',
  numberOfKeys: 'variadic',
  lua:
    BUDGET_LIB +
    `
local rec = KEYS[1]
local f = redis.call('HMGET', rec, 'status', 'ident', 'settledBy', 'covered')
if f[2] and f[2] ~= '' and f[2] ~= ARGV[8] then return {-1, f[2], '0', 0} end
local function answer(applied, covered)
  return {applied, redis.call('GET', KEYS[3]) or '0', redis.call('GET', KEYS[4]) or '0', covered}
end
if f[1] == 'settled' then
  if f[3] == ARGV[4] then return answer(1, tonumber(f[4])) end
  return answer(0, 0)
end
local prior = redis.call('HGET', KEYS[2], ARGV[3])
if prior then
  if prior == ARGV[4] then return answer(1, 0) end
  return answer(0, 0)
end
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
redis.call('INCRBY', KEYS[3], ARGV[5])
redis.call('INCRBY', KEYS[4], ARGV[5])
redis.call('HINCRBY', KEYS[5], ARGV[6], ARGV[5])
redis.call('HINCRBY', KEYS[6], ARGV[7], ARGV[5])
local covered = 0
local n = tonumber(ARGV[9])
for i = 1, n do
  local k = 3 * i + 4
  if releaseHold(KEYS[k], KEYS[k + 1], KEYS[k + 2], ARGV[2]) then covered = 1 end
  redis.call('HINCRBY', KEYS[k], 'spent', ARGV[5])
  touch(KEYS[k], KEYS[k + 1], KEYS[k + 2], ARGV[9 + i])
end
redis.call('HSET', rec, 'status', 'settled', 'settledBy', ARGV[4], 'covered', covered, 'ident', ARGV[8],
  'actual', ARGV[5], 'usageEventId', ARGV[3])
keepAtLeast(rec, tonumber(ARGV[1]) * 1000)
return answer(1, covered)
`,
  call: (i: SettleScriptInput) => ({
    keys: [
      i.reservationKey,
      i.usageKey,
      i.taskTotalKey,
      i.tenantTotalKey,
      i.byModelKey,
      i.byDayKey,
      ...scopeKeyList(i.scopes.map((s) => s.keys)),
    ],
    // Then per scope: TTL s (0 = none).
    argv: [i.opTtlSeconds, i.reservationId, i.usageEventId, i.opId, i.actualMicros, i.model, i.day, i.ident, i.scopes.length, ...i.scopes.map((s) => s.ttlSeconds ?? 0)],
  }),
  // {applied 1|0 (-1: other scopes, then the stored ident), task total, tenant total, covered 1|0}.
  reply: ([applied, taskTotal, tenantTotal, covered]: [number, string, string, number]): SettleReply =>
    applied === -1
      ? { otherIdent: taskTotal }
      : { applied: applied === 1, covered: covered === 1, taskTotalMicros: replyNumber(taskTotal), tenantTotalMicros: replyNumber(tenantTotal) },
});

/** Releasing a reservation; see releaseScript. */
export interface ReleaseScriptInput {
  /** KeySpace.budgetReservation. */
  reservationKey: string;
  /** The scopes the caller read from the record's ident (none when it found no record). */
  scopes: readonly BudgetScopeKeys[];
  opTtlSeconds: number;
  reservationId: string;
  /** This call's op id. */
  opId: string;
  /** The record's ident as the caller read it ('' when it found no record). */
  ident: string;
}

/**
 * Frees the reservation's holds unless it was settled, released or refused; an unknown id
 * gets a released tombstone, so a reserve arriving after its release stays closed. The op
 * id is checked first: a re-sent release answers as the first run did even when a settle
 * came in between. `stale`: the record changed since the caller read its ident (read again).
 */
export const releaseScript = luaScript({
  command: 'batonRelease',
  numberOfKeys: 'variadic',
  lua:
    BUDGET_LIB +
    `
local rec = KEYS[1]
local f = redis.call('HMGET', rec, 'status', 'ident', 'releasedBy', 'released')
if f[3] == ARGV[3] then return {1, f[4] or '0'} end
if (f[2] or '') ~= ARGV[4] then return {-2, '0'} end
if f[1] and f[1] ~= 'reserved' then return {0, '0'} end
local released = '0'
for i = 1, (#KEYS - 1) / 3 do
  local k = 3 * i - 1
  local held = releaseHold(KEYS[k], KEYS[k + 1], KEYS[k + 2], ARGV[2])
  if held then released = held end
end
redis.call('HSET', rec, 'status', 'released', 'releasedBy', ARGV[3], 'released', released, 'ident', ARGV[4])
keepAtLeast(rec, tonumber(ARGV[1]) * 1000)
return {1, released}
`,
  call: (i: ReleaseScriptInput) => ({
    keys: [i.reservationKey, ...scopeKeyList(i.scopes)],
    argv: [i.opTtlSeconds, i.reservationId, i.opId, i.ident],
  }),
  // {1 released by this op | 0 nothing to do | -2 stale, micro-dollars this op returned}.
  reply: ([status, released]: [number, string]) => ({ stale: status === -2, releasedMicros: replyNumber(released) }),
});

/** Releasing the expired holds of some scopes. */
export interface SweepBudgetInput {
  scopes: readonly BudgetScopeKeys[];
  nowMs: number;
}

/**
 * Releases holds that expired at or before now, at most 500 per scope per call. `capped`:
 * some scope hit the cap (call again).
 */
export const sweepBudgetScript = luaScript({
  command: 'batonSweepBudget',
  numberOfKeys: 'variadic',
  lua:
    BUDGET_LIB +
    `
local total, capped = 0, 0
for i = 1, #KEYS / 3 do
  local k = 3 * i - 2
  local count = sweep(KEYS[k], KEYS[k + 1], KEYS[k + 2], ARGV[1])
  total = total + count
  if count >= 500 then capped = 1 end
end
return {total, capped}
`,
  call: (i: SweepBudgetInput) => ({ keys: scopeKeyList(i.scopes), argv: [i.nowMs] }),
  reply: ([released, capped]: [number, number]) => ({ released, capped: capped === 1 }),
});
