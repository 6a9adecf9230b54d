import type { Redis } from 'ioredis';

/*
 * Every multi-key or read-modify-write operation is one Lua script, so it is atomic.
 * ioredis runs them with EVALSHA and falls back to EVAL when Redis lost its script
 * cache (restart, SCRIPT FLUSH).
 *
 * ioredis re-sends a command whose reply was lost to a reconnect, so the same script can
 * run twice. Each mutating script is therefore idempotent, and the ones whose answer a
 * caller acts on (applied or not) also remember the caller's operation id: the re-sent
 * run then answers as the first run did instead of "no change", which would make the
 * caller skip the follow-up (publishing the next event) for a change that did happen.
 */

/**
 * KEYS: task, op marker. ARGV: op TTL s, taskId, tenantId, taskType, traceId ('' = none),
 * now, first history entry (JSON). Returns 1 when created (by this op), 0 when it existed.
 */
const CREATE = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 1 end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1],
  'taskId', ARGV[2], 'tenantId', ARGV[3], 'taskType', ARGV[4], 'status', 'submitted',
  'attempts', '0', 'createdAt', ARGV[6], 'updatedAt', ARGV[6], 'history', '[' .. ARGV[7] .. ']')
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'traceId', ARGV[5]) end
redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
return 1
`;

/**
 * KEYS: task, op marker.
 * ARGV: op TTL s, to, now, history entry (JSON), n terminal statuses, ...terminal,
 *       n from statuses (-1 = no guard), ...from, then field/value pairs to store.
 * Returns {applied 0|1, status ('' when the task is missing)}.
 */
const TRANSITION = `
local done = redis.call('GET', KEYS[2])
if done then return {1, done} end
local cur = redis.call('HGET', KEYS[1], 'status')
if not cur then return {0, ''} end
local to = ARGV[2]
if cur == to then return {0, cur} end
local i = 5
local nTerminal = tonumber(ARGV[i])
for j = 1, nTerminal do
  if ARGV[i + j] == cur then return {0, cur} end
end
i = i + nTerminal + 1
local nFrom = tonumber(ARGV[i])
if nFrom >= 0 then
  local allowed = false
  for j = 1, nFrom do
    if ARGV[i + j] == cur then allowed = true end
  end
  if not allowed then return {0, cur} end
  i = i + nFrom
end
i = i + 1
local history = redis.call('HGET', KEYS[1], 'history')
if not history or history == '' or history == '[]' then
  history = '[' .. ARGV[4] .. ']'
else
  history = string.sub(history, 1, -2) .. ',' .. ARGV[4] .. ']'
end
redis.call('HSET', KEYS[1], 'status', to, 'updatedAt', ARGV[3], 'history', history)
while i < #ARGV do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
redis.call('SET', KEYS[2], to, 'EX', ARGV[1])
return {1, to}
`;

/**
 * KEYS: task, op marker. ARGV: op TTL s, expected, next, now.
 * Returns 1 when swapped (by this op), 0 otherwise (missing task or other value).
 */
const CAS_ATTEMPTS = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 1 end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local cur = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
if cur ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'attempts', ARGV[3], 'updatedAt', ARGV[4])
redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
return 1
`;

/**
 * KEYS: task usage events, task total, tenant total, tenant by model, tenant by day.
 * ARGV: usageEventId, op id, cost micros, model, day.
 * Returns {applied 0|1, task total, tenant total} (totals as strings: exact integers).
 *
 * Redis Cluster: the tenant keys carry the tenant's hash tag, not the task's, so this
 * script fails there with CROSSSLOT. A cluster deployment must split it: this script on
 * the task's keys only, then a second script on the tenant's keys that is idempotent on
 * its own marker (tenant-tagged hash of usageEventIds), so a crash between the two is
 * repaired by the at-least-once re-delivery of the usage event.
 */
const RECORD_SPEND = `
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
`;

/**
 * KEYS: idempotency key. ARGV: taskId, TTL s. Returns the task id holding the key:
 * the given one when this call (or an earlier one with the same task id) claimed it.
 */
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return ARGV[1] end
return redis.call('GET', KEYS[1])
`;

type Arg = string | number;

/** The custom commands defineCommand adds to the client. */
export interface BatonCommands {
  batonCreateTask(task: string, op: string, ...argv: Arg[]): Promise<number>;
  batonTransition(task: string, op: string, ...argv: Arg[]): Promise<[number, string]>;
  batonCasAttempts(task: string, op: string, ...argv: Arg[]): Promise<number>;
  batonRecordSpend(
    usage: string,
    taskTotal: string,
    tenantTotal: string,
    byModel: string,
    byDay: string,
    ...argv: Arg[]
  ): Promise<[number, string, string]>;
  batonClaim(key: string, ...argv: Arg[]): Promise<string>;
}

/** An ioredis client with Baton's scripts defined. */
export type BatonRedis = Redis & BatonCommands;

/** Registers the scripts on a client (SHA computed locally; loaded on first use). */
export function defineScripts(redis: Redis): BatonRedis {
  redis.defineCommand('batonCreateTask', { numberOfKeys: 2, lua: CREATE });
  redis.defineCommand('batonTransition', { numberOfKeys: 2, lua: TRANSITION });
  redis.defineCommand('batonCasAttempts', { numberOfKeys: 2, lua: CAS_ATTEMPTS });
  redis.defineCommand('batonRecordSpend', { numberOfKeys: 5, lua: RECORD_SPEND });
  redis.defineCommand('batonClaim', { numberOfKeys: 1, lua: CLAIM });
  return redis as BatonRedis;
}
