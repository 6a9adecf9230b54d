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
 * now, first history entry (JSON), root span id ('' = none), submitting event id ('' =
 * none). Returns 1 when created (by this op), 0 when it existed.
 */
const CREATE = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 1 end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1],
  'taskId', ARGV[2], 'tenantId', ARGV[3], 'taskType', ARGV[4], 'status', 'submitted',
  'attempts', '0', 'createdAt', ARGV[6], 'updatedAt', ARGV[6], 'history', '[' .. ARGV[7] .. ']')
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'traceId', ARGV[5]) end
if ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'rootSpanId', ARGV[8]) end
if ARGV[9] and ARGV[9] ~= '' then redis.call('HSET', KEYS[1], 'submittedEventId', ARGV[9]) end
redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
return 1
`;

/**
 * A gateway submission: claims the client's idempotency key, creates the task record and
 * puts its `task.submitted` event in the outbox, all or nothing, so a key never points at a
 * task that does not exist and a created task is always either published or in the outbox.
 * The key is tenant-tagged and the outbox index is deployment-wide, so like RECORD_SPEND
 * this script is single-node only.
 * KEYS: task, op marker, idempotency key (the task key again when there is none),
 *       submission, unpublished index.
 * ARGV: op TTL s, taskId, tenantId, taskType, traceId ('' = none), now, first history entry
 *       (JSON), root span id ('' = none), submitted event id, submission (event JSON), now ms,
 *       key TTL s (0 = no key), stale holder ('' = none: a holder whose task the caller found
 *       missing, left by a claim made before claims and tasks were created together).
 * Returns {1, taskId} when created (by this op); {0, holder} when the key belongs to another
 * task; {0, taskId} when the task existed.
 */
const SUBMIT = `
if redis.call('EXISTS', KEYS[2]) == 1 then return {1, ARGV[2]} end
local ttl = tonumber(ARGV[12])
if ttl > 0 then
  local holder = redis.call('GET', KEYS[3])
  if holder and holder ~= ARGV[13] then return {0, holder} end
end
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, ARGV[2]} end
redis.call('HSET', KEYS[1],
  'taskId', ARGV[2], 'tenantId', ARGV[3], 'taskType', ARGV[4], 'status', 'submitted',
  'attempts', '0', 'createdAt', ARGV[6], 'updatedAt', ARGV[6], 'history', '[' .. ARGV[7] .. ']',
  'submittedEventId', ARGV[9], 'published', '0')
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'traceId', ARGV[5]) end
if ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'rootSpanId', ARGV[8]) end
redis.call('SET', KEYS[4], ARGV[10])
redis.call('ZADD', KEYS[5], ARGV[11], ARGV[2])
if ttl > 0 then redis.call('SET', KEYS[3], ARGV[2], 'EX', ttl) end
redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
return {1, ARGV[2]}
`;

/**
 * Takes a submission out of the outbox: published (the record says so), or given up (the
 * task failed before it was queued). Idempotent; no op id needed.
 * KEYS: task, submission, unpublished index. ARGV: taskId, published (1|0).
 */
const SETTLE_SUBMISSION = `
if ARGV[2] == '1' and redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'published', '1') end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
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
 * KEYS: escalation, tenant open index, timeout index, op marker, unpublished decisions.
 * ARGV: op TTL s, index member, decision (JSON), now ms.
 * Applied only while the escalation is open: the first decision wins, later ones see it.
 * The decision enters the outbox in the same step as it leaves the open and timeout indexes,
 * so a decider that dies before publishing `task.decision` leaves it to the gateway's sweep.
 */
const DECIDE_ESCALATION = `
if redis.call('EXISTS', KEYS[4]) == 1 then return {1, redis.call('HGETALL', KEYS[1])} end
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {0, {}} end
if status ~= 'open' then return {0, redis.call('HGETALL', KEYS[1])} end
redis.call('HSET', KEYS[1], 'status', 'decided', 'decision', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[2])
redis.call('SET', KEYS[4], '1', 'EX', ARGV[1])
return {1, redis.call('HGETALL', KEYS[1])}
`;

/**
 * KEYS: escalation, op marker, unpublished decisions. ARGV: op TTL s, now, index member.
 * Applied only when the escalation is decided (and not yet resumed). A resumed decision was
 * evidently published: it leaves the outbox whoever published it.
 */
const RESUME_ESCALATION = `
if redis.call('EXISTS', KEYS[2]) == 1 then return {1, redis.call('HGETALL', KEYS[1])} end
redis.call('ZREM', KEYS[3], ARGV[3])
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {0, {}} end
if status ~= 'decided' then return {0, redis.call('HGETALL', KEYS[1])} end
redis.call('HSET', KEYS[1], 'status', 'resumed', 'resumedAt', ARGV[2])
redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
return {1, redis.call('HGETALL', KEYS[1])}
`;

/*
 * Budget reservations (see BudgetLedger). Each scope has three keys: its hash (`limit`,
 * `spent`, `reserved`, `low`), the holds (reservationId → micro-dollars held in this scope)
 * and the holds' expiries (sorted set by ms). A scope keeps its own holds, so it releases
 * an expired one without reading the reservation record, and settle and release free a
 * hold in every scope that still has it. Amounts are integer strings moved with
 * INCRBY/HINCRBY; the Lua arithmetic (doubles) is exact below 2^53 and only compares.
 *
 * Scope keys are tagged by scope id and the record by reservation id, so these scripts
 * are single-node only, like RECORD_SPEND (which SETTLE extends).
 *
 * Scripts taking a variable number of scopes are defined without numberOfKeys: the
 * caller passes the key count first.
 */

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

/**
 * KEYS: reservation, then per scope: scope, holds, expiries.
 * ARGV: op TTL s, reservationId, now ms, expiresAt ms, amount, record TTL ms, taskId,
 *       tenantId, model, ident, n scopes, then per scope: limit, low threshold, TTL s (0 = none).
 * Returns the outcome, remembered in the record so a repeated reserve answers it again:
 * 'ok' then per scope (remaining, 1 when this call crossed the low watermark else 0);
 * 'refused <scope index> <limit> <spent> <reserved>'; 'closed' when the id was settled or
 * released before it was reserved.
 */
const RESERVE =
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
`;

/**
 * KEYS: reservation, task usage events, task total, tenant total, tenant by model, tenant
 *       by day, then per scope: scope, holds, expiries.
 * ARGV: op TTL s, reservationId, usageEventId, op id, actual, model, day, ident, n scopes,
 *       then per scope: TTL s (0 = none).
 * Frees the reservation's hold in every scope that still has it and charges the actual cost
 * to every scope's `spent` and to the spend totals, once per reservation and once per usage
 * event. Returns {applied 1|0 (-1: the reservation belongs to other scopes; then its ident),
 * task total, tenant total, covered 1|0 (a scope still held the reservation)}.
 */
const SETTLE =
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
`;

/**
 * KEYS: reservation, then per scope: scope, holds, expiries.
 * ARGV: op TTL s, reservationId, op id, ident ('' when the caller found no record).
 * Frees the reservation's holds unless it was settled, released or refused; an unknown id
 * gets a released tombstone, so a reserve arriving after its release stays closed. The op
 * id is checked first: a re-sent release answers as the first run did even when a settle
 * came in between.
 * Returns {1 released by this op | 0 nothing to do | -2 the record changed since the caller
 * read its ident (read again), micro-dollars this op returned}.
 */
const RELEASE =
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
`;

/**
 * KEYS: per scope: scope, holds, expiries. ARGV: now ms.
 * Releases holds that expired at or before now, at most 500 per scope per call.
 * Returns {holds released, 1 when some scope hit the 500 cap (call again) else 0}.
 */
const SWEEP_BUDGET =
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
`;

/*
 * Rate limits (see RateLimiter): GCRA. Each scope's key holds its theoretical arrival time
 * (TAT, ms since epoch as a decimal double); a unit of cost moves it by window / limit ms,
 * and a take fits while TAT - now stays within the window. Stored with %.17g, so the
 * double round-trips exactly.
 */

/**
 * KEYS: op marker, then one key per scope.
 * ARGV: op TTL s, now ms, ident (scope ids), costs (space separated), then per scope:
 *       cost, limit, window ms.
 * All or nothing: admits only when every scope fits, then moves every TAT. Remembers an
 * admitted op, so a re-sent or repeated take answers admitted without consuming again; a
 * refused take changes nothing and is decided afresh when repeated.
 * Returns {1, -1, '0'} admitted, or {0, index of the scope with the longest wait, wait ms}.
 */
const RATE_TAKE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {1, -1, '0'} end
local now = tonumber(ARGV[2])
local tats = {}
local worst, worstAt = 0, 0
for i = 1, #KEYS - 1 do
  local a = 2 + 3 * i
  local tat = tonumber(redis.call('GET', KEYS[i + 1]) or '0')
  if tat < now then tat = now end
  tats[i] = tat + tonumber(ARGV[a]) * tonumber(ARGV[a + 2]) / tonumber(ARGV[a + 1])
  local wait = tats[i] - tonumber(ARGV[a + 2]) - now
  if wait > 0.001 and wait > worst then
    worst = wait
    worstAt = i
  end
end
if worstAt > 0 then return {0, worstAt - 1, string.format('%d', math.ceil(worst))} end
for i = 1, #KEYS - 1 do
  if tonumber(ARGV[2 + 3 * i]) > 0 then
    redis.call('SET', KEYS[i + 1], string.format('%.17g', tats[i]), 'PX', string.format('%d', math.ceil(tats[i] - now) + 1))
  end
end
redis.call('HSET', KEYS[1], 'ident', ARGV[3], 'costs', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return {1, -1, '0'}
`;

/**
 * KEYS: op marker, then one key per scope.
 * ARGV: now ms, refund op id, ident, then per scope: amount, limit, window ms.
 * Gives back up to the take's cost per scope (moves the TAT back, never before now), once
 * per take. Returns 1 refunded by this op, 0 nothing to do (unknown take, or refunded
 * before), -1 the take was for other scopes.
 */
const RATE_REFUND = `
local f = redis.call('HMGET', KEYS[1], 'ident', 'costs', 'refundedBy')
if not f[1] then return 0 end
if f[1] ~= ARGV[3] then return -1 end
if f[3] then
  if f[3] == ARGV[2] then return 1 end
  return 0
end
local costs = {}
for c in string.gmatch(f[2], '%S+') do costs[#costs + 1] = tonumber(c) end
local now = tonumber(ARGV[1])
for i = 1, #KEYS - 1 do
  local a = 1 + 3 * i
  local amount = math.min(tonumber(ARGV[a]), costs[i])
  local tat = tonumber(redis.call('GET', KEYS[i + 1]) or '0')
  if amount > 0 and tat > now then
    local back = tat - amount * tonumber(ARGV[a + 2]) / tonumber(ARGV[a + 1])
    if back <= now then
      redis.call('DEL', KEYS[i + 1])
    else
      redis.call('SET', KEYS[i + 1], string.format('%.17g', back), 'PX', string.format('%d', math.ceil(back - now) + 1))
    end
  end
end
redis.call('HSET', KEYS[1], 'refundedBy', ARGV[2])
return 1
`;

type Arg = string | number;

/** The custom commands defineCommand adds to the client. */
export interface BatonCommands {
  batonCreateTask(task: string, op: string, ...argv: Arg[]): Promise<number>;
  batonSubmitTask(task: string, op: string, idempotency: string, submission: string, unpublished: string, ...argv: Arg[]): Promise<[number, string]>;
  batonSettleSubmission(task: string, submission: string, unpublished: string, ...argv: Arg[]): Promise<number>;
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
  batonDecideEscalation(
    escalation: string,
    tenantOpen: string,
    timeouts: string,
    op: string,
    unpublished: string,
    ...argv: Arg[]
  ): Promise<[number, string[]]>;
  batonResumeEscalation(escalation: string, op: string, unpublished: string, ...argv: Arg[]): Promise<[number, string[]]>;
  /** Variadic-key scripts: the key count comes first. */
  batonReserve(numKeys: number, ...keysAndArgv: Arg[]): Promise<string>;
  batonSettle(numKeys: number, ...keysAndArgv: Arg[]): Promise<[number, string, string, number]>;
  batonRelease(numKeys: number, ...keysAndArgv: Arg[]): Promise<[number, string]>;
  batonSweepBudget(numKeys: number, ...keysAndArgv: Arg[]): Promise<[number, number]>;
  batonRateTake(numKeys: number, ...keysAndArgv: Arg[]): Promise<[number, number, string]>;
  batonRateRefund(numKeys: number, ...keysAndArgv: Arg[]): Promise<number>;
}

/** An ioredis client with Baton's scripts defined. */
export type BatonRedis = Redis & BatonCommands;

/** Registers the scripts on a client (SHA computed locally; loaded on first use). */
export function defineScripts(redis: Redis): BatonRedis {
  redis.defineCommand('batonCreateTask', { numberOfKeys: 2, lua: CREATE });
  redis.defineCommand('batonSubmitTask', { numberOfKeys: 5, lua: SUBMIT });
  redis.defineCommand('batonSettleSubmission', { numberOfKeys: 3, lua: SETTLE_SUBMISSION });
  redis.defineCommand('batonTransition', { numberOfKeys: 2, lua: TRANSITION });
  redis.defineCommand('batonRecordSpend', { numberOfKeys: 5, lua: RECORD_SPEND });
  redis.defineCommand('batonClaim', { numberOfKeys: 1, lua: CLAIM });
  redis.defineCommand('batonBreakerFailure', { numberOfKeys: 1, lua: BREAKER_FAILURE });
  redis.defineCommand('batonBreakerSuccess', { numberOfKeys: 1, lua: BREAKER_SUCCESS });
  redis.defineCommand('batonBreakerProbe', { numberOfKeys: 1, lua: BREAKER_PROBE });
  redis.defineCommand('batonOpenEscalation', { numberOfKeys: 5, lua: OPEN_ESCALATION });
  redis.defineCommand('batonDecideEscalation', { numberOfKeys: 5, lua: DECIDE_ESCALATION });
  redis.defineCommand('batonResumeEscalation', { numberOfKeys: 3, lua: RESUME_ESCALATION });
  redis.defineCommand('batonReserve', { lua: RESERVE });
  redis.defineCommand('batonSettle', { lua: SETTLE });
  redis.defineCommand('batonRelease', { lua: RELEASE });
  redis.defineCommand('batonSweepBudget', { lua: SWEEP_BUDGET });
  redis.defineCommand('batonRateTake', { lua: RATE_TAKE });
  redis.defineCommand('batonRateRefund', { lua: RATE_REFUND });
  return redis as BatonRedis;
}
