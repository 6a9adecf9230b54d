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

/*
 * Circuit breaker of one model (see ModelBreakers). Hash fields: `failures` (consecutive
 * failures while closed), `openUntil` (ms since epoch; absent = closed), `probeUntil`
 * (end of the current half-open probe's lease). Closed, open and half-open are derived
 * from `openUntil` and the caller's clock, so nothing has to flip the state when the
 * cool-down ends. Not op-id guarded: a failure counted twice after a re-send at worst
 * opens the breaker one failure early, and a repeated success or probe changes nothing.
 */

/**
 * KEYS: breaker. ARGV: now ms, failure threshold, open ms, idle ms.
 * Returns {state after ('closed' | 'open'), 1 when this call opened it else 0}.
 */
const BREAKER_FAILURE = `
local now = tonumber(ARGV[1])
local openMs = tonumber(ARGV[3])
local openUntil = tonumber(redis.call('HGET', KEYS[1], 'openUntil') or '0')
if openUntil > 0 and now < openUntil then
  return {'open', 0}
end
local failures = 0
if openUntil == 0 then
  failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
end
if openUntil > 0 or failures >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'openUntil', now + openMs, 'failures', 0)
  redis.call('HDEL', KEYS[1], 'probeUntil')
  redis.call('PEXPIRE', KEYS[1], openMs + tonumber(ARGV[4]))
  return {'open', 1}
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {'closed', 0}
`;

/**
 * KEYS: breaker. ARGV: now ms.
 * Returns {state after ('closed' | 'open'), 1 when this call closed an opened breaker else 0}.
 */
const BREAKER_SUCCESS = `
local openUntil = tonumber(redis.call('HGET', KEYS[1], 'openUntil') or '0')
if openUntil > 0 and tonumber(ARGV[1]) < openUntil then
  return {'open', 0}
end
redis.call('DEL', KEYS[1])
if openUntil > 0 then return {'closed', 1} end
return {'closed', 0}
`;

/**
 * KEYS: breaker. ARGV: now ms, probe lease ms.
 * Returns 1 when the caller may call the model: always while closed, and for one caller
 * per lease once the cool-down is over (half-open); 0 while open or while another holds the lease.
 */
const BREAKER_PROBE = `
local now = tonumber(ARGV[1])
local fields = redis.call('HMGET', KEYS[1], 'openUntil', 'probeUntil')
local openUntil = tonumber(fields[1] or '0')
if openUntil == 0 then return 1 end
if now < openUntil then return 0 end
if now < tonumber(fields[2] or '0') then return 0 end
redis.call('HSET', KEYS[1], 'probeUntil', now + tonumber(ARGV[2]))
return 1
`;

/*
 * Escalations (see EscalationStore). The record hash carries the task's hash tag; the
 * tenant's open index and the deployment-wide timeout index do not, so like RECORD_SPEND
 * these scripts are single-node only: on Redis Cluster they fail with CROSSSLOT and would
 * have to update the indexes in a second, idempotent step. Each answers {applied 0|1,
 * HGETALL of the record after the call} and remembers its op id, so a re-sent run answers
 * applied as the first did.
 */

/**
 * KEYS: escalation, current pointer, tenant open index, timeout index, op marker.
 * ARGV: op TTL s, escalationId, index member, createdAt ms, expiresAt ms, then field/value pairs.
 * Applied only when the escalation did not exist; an existing one is left exactly as it is.
 */
const OPEN_ESCALATION = `
if redis.call('EXISTS', KEYS[5]) == 1 then return {1, redis.call('HGETALL', KEYS[1])} end
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, redis.call('HGETALL', KEYS[1])} end
redis.call('HSET', KEYS[1], 'status', 'open', unpack(ARGV, 6))
redis.call('SET', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[3])
redis.call('SET', KEYS[5], '1', 'EX', ARGV[1])
return {1, redis.call('HGETALL', KEYS[1])}
`;

/**
 * KEYS: escalation, tenant open index, timeout index, op marker.
 * ARGV: op TTL s, index member, decision (JSON).
 * Applied only while the escalation is open: the first decision wins, later ones see it.
 */
const DECIDE_ESCALATION = `
if redis.call('EXISTS', KEYS[4]) == 1 then return {1, redis.call('HGETALL', KEYS[1])} end
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {0, {}} end
if status ~= 'open' then return {0, redis.call('HGETALL', KEYS[1])} end
redis.call('HSET', KEYS[1], 'status', 'decided', 'decision', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('SET', KEYS[4], '1', 'EX', ARGV[1])
return {1, redis.call('HGETALL', KEYS[1])}
`;

/**
 * KEYS: escalation, op marker. ARGV: op TTL s, now.
 * Applied only when the escalation is decided (and not yet resumed).
 */
const RESUME_ESCALATION = `
if redis.call('EXISTS', KEYS[2]) == 1 then return {1, redis.call('HGETALL', KEYS[1])} end
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {0, {}} end
if status ~= 'decided' then return {0, redis.call('HGETALL', KEYS[1])} end
redis.call('HSET', KEYS[1], 'status', 'resumed', 'resumedAt', ARGV[2])
redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
return {1, redis.call('HGETALL', KEYS[1])}
`;

type Arg = string | number;

/** The custom commands defineCommand adds to the client. */
export interface BatonCommands {
  batonCreateTask(task: string, op: string, ...argv: Arg[]): Promise<number>;
  batonTransition(task: string, op: string, ...argv: Arg[]): Promise<[number, string]>;
  batonRecordSpend(
    usage: string,
    taskTotal: string,
    tenantTotal: string,
    byModel: string,
    byDay: string,
    ...argv: Arg[]
  ): Promise<[number, string, string]>;
  batonClaim(key: string, ...argv: Arg[]): Promise<string>;
  batonBreakerFailure(breaker: string, ...argv: Arg[]): Promise<[string, number]>;
  batonBreakerSuccess(breaker: string, ...argv: Arg[]): Promise<[string, number]>;
  batonBreakerProbe(breaker: string, ...argv: Arg[]): Promise<number>;
  batonOpenEscalation(
    escalation: string,
    current: string,
    tenantOpen: string,
    timeouts: string,
    op: string,
    ...argv: Arg[]
  ): Promise<[number, string[]]>;
  batonDecideEscalation(escalation: string, tenantOpen: string, timeouts: string, op: string, ...argv: Arg[]): Promise<[number, string[]]>;
  batonResumeEscalation(escalation: string, op: string, ...argv: Arg[]): Promise<[number, string[]]>;
}

/** An ioredis client with Baton's scripts defined. */
export type BatonRedis = Redis & BatonCommands;

/** Registers the scripts on a client (SHA computed locally; loaded on first use). */
export function defineScripts(redis: Redis): BatonRedis {
  redis.defineCommand('batonCreateTask', { numberOfKeys: 2, lua: CREATE });
  redis.defineCommand('batonTransition', { numberOfKeys: 2, lua: TRANSITION });
  redis.defineCommand('batonRecordSpend', { numberOfKeys: 5, lua: RECORD_SPEND });
  redis.defineCommand('batonClaim', { numberOfKeys: 1, lua: CLAIM });
  redis.defineCommand('batonBreakerFailure', { numberOfKeys: 1, lua: BREAKER_FAILURE });
  redis.defineCommand('batonBreakerSuccess', { numberOfKeys: 1, lua: BREAKER_SUCCESS });
  redis.defineCommand('batonBreakerProbe', { numberOfKeys: 1, lua: BREAKER_PROBE });
  redis.defineCommand('batonOpenEscalation', { numberOfKeys: 5, lua: OPEN_ESCALATION });
  redis.defineCommand('batonDecideEscalation', { numberOfKeys: 4, lua: DECIDE_ESCALATION });
  redis.defineCommand('batonResumeEscalation', { numberOfKeys: 2, lua: RESUME_ESCALATION });
  return redis as BatonRedis;
}
