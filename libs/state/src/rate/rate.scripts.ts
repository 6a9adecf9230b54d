import { luaScript } from '../lua/lua-script';

/*
 * Rate limits (see RateLimiter): GCRA. Each scope's key holds its theoretical arrival time
 * (TAT, ms since epoch as a decimal double); a unit of cost moves it by window / limit ms,
 * and a take fits while TAT - now stays within the window. Stored with %.17g, so the
 * double round-trips exactly.
 */

/** One scope of a take or refund, in the caller's order. */
interface RateScopeArg {
  /** KeySpace.rateScope. */
  key: string;
  /** The scope id; the op's `ident` lists them, so a refund for other scopes is caught. */
  id: string;
  limit: number;
  windowMs: number;
}

/** The scope ids of an op, as its hash's `ident` holds them. */
const ident = (scopes: readonly RateScopeArg[]): string => scopes.map((s) => s.id).join(' ');

/** A take; see rateTakeScript. */
export interface RateTakeInput {
  /** KeySpace.rateOp of the take's op id. */
  opKey: string;
  /** How long an admitted take is remembered. */
  opTtlSeconds: number;
  nowMs: number;
  scopes: readonly (RateScopeArg & { cost: number })[];
}

/** Admitted, or refused with the scope (by index) that has the longest wait. */
export type RateTakeReply = { admitted: true } | { admitted: false; scopeIndex: number; waitMs: number };

/**
 * All or nothing: admits only when every scope fits, then moves every TAT. Remembers an
 * admitted op (its scopes and costs), so a re-sent or repeated take answers admitted without
 * consuming again; a refused take changes nothing and is decided afresh when repeated.
 */
export const rateTakeScript = luaScript({
  command: 'batonRateTake',
  numberOfKeys: 'variadic',
  lua: `
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
`,
  call: (i: RateTakeInput) => ({
    keys: [i.opKey, ...i.scopes.map((s) => s.key)],
    // Then per scope: cost, limit, window ms.
    argv: [i.opTtlSeconds, i.nowMs, ident(i.scopes), i.scopes.map((s) => s.cost).join(' '), ...i.scopes.flatMap((s) => [s.cost, s.limit, s.windowMs])],
  }),
  // {1, -1, '0'} admitted, or {0, index of the scope with the longest wait, wait ms}.
  reply: ([admitted, index, waitMs]: [number, number, string]): RateTakeReply =>
    admitted === 1 ? { admitted: true } : { admitted: false, scopeIndex: index, waitMs: Number(waitMs) },
});

/** A refund; see rateRefundScript. */
export interface RateRefundInput {
  /** KeySpace.rateOp of the take's op id. */
  opKey: string;
  nowMs: number;
  /** This call's op id: a re-sent refund finds it and answers refunded. */
  refundOpId: string;
  scopes: readonly (RateScopeArg & { amount: number })[];
}

/**
 * Gives back up to the take's cost per scope (moves the TAT back, never before now), once
 * per take: `refunded` by this op, `nothing` to do (unknown take, or refunded before), or
 * `other_scopes` (the take was for other scopes).
 */
export const rateRefundScript = luaScript({
  command: 'batonRateRefund',
  numberOfKeys: 'variadic',
  lua: `
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
`,
  call: (i: RateRefundInput) => ({
    keys: [i.opKey, ...i.scopes.map((s) => s.key)],
    // Then per scope: amount, limit, window ms.
    argv: [i.nowMs, i.refundOpId, ident(i.scopes), ...i.scopes.flatMap((s) => [s.amount, s.limit, s.windowMs])],
  }),
  reply: (refunded: number): 'refunded' | 'nothing' | 'other_scopes' => (refunded === 1 ? 'refunded' : refunded === -1 ? 'other_scopes' : 'nothing'),
});
