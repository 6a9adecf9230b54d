import { luaScript } from '../lua/lua-script';
import type { BreakerChange } from './model-breakers';

/*
 * Circuit breaker of one model (see ModelBreakers and BreakerHash). Closed, open and
 * half-open are derived from `openUntil` and the caller's clock, so nothing has to flip the
 * state when the cool-down ends. Not op-id guarded: a failure counted twice after a re-send
 * at worst opens the breaker one failure early, and a repeated success or probe changes nothing.
 */

const reply = ([state, changed]: [string, number]): BreakerChange => ({ state: state === 'open' ? 'open' : 'closed', changed: changed === 1 });

/** A failed call. */
export interface BreakerFailureInput {
  /** KeySpace.modelBreaker. */
  breakerKey: string;
  nowMs: number;
  failureThreshold: number;
  openMs: number;
  /** A breaker untouched this long forgets its failures (its key expires). */
  idleMs: number;
}

/** Counts a failure while closed; opens the breaker at the threshold, or when a half-open probe failed. */
export const breakerFailureScript = luaScript({
  command: 'batonBreakerFailure',
  numberOfKeys: 1,
  lua: `
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
`,
  call: (i: BreakerFailureInput) => ({ keys: [i.breakerKey], argv: [i.nowMs, i.failureThreshold, i.openMs, i.idleMs] }),
  reply,
});

/** A successful call. */
export interface BreakerSuccessInput {
  /** KeySpace.modelBreaker. */
  breakerKey: string;
  nowMs: number;
}

/** Forgets the breaker (closing it when it was half-open); ignored while open. */
export const breakerSuccessScript = luaScript({
  command: 'batonBreakerSuccess',
  numberOfKeys: 1,
  lua: `
local openUntil = tonumber(redis.call('HGET', KEYS[1], 'openUntil') or '0')
if openUntil > 0 and tonumber(ARGV[1]) < openUntil then
  return {'open', 0}
end
redis.call('DEL', KEYS[1])
if openUntil > 0 then return {'closed', 1} end
return {'closed', 0}
`,
  call: (i: BreakerSuccessInput) => ({ keys: [i.breakerKey], argv: [i.nowMs] }),
  reply,
});

/** Asking to call the model. */
export interface BreakerProbeInput {
  /** KeySpace.modelBreaker. */
  breakerKey: string;
  nowMs: number;
  probeLeaseMs: number;
}

/**
 * True when the caller may call the model: always while closed, and for one caller per
 * lease once the cool-down is over (half-open); false while open or while another holds the lease.
 */
export const breakerProbeScript = luaScript({
  command: 'batonBreakerProbe',
  numberOfKeys: 1,
  lua: `
local now = tonumber(ARGV[1])
local fields = redis.call('HMGET', KEYS[1], 'openUntil', 'probeUntil')
local openUntil = tonumber(fields[1] or '0')
if openUntil == 0 then return 1 end
if now < openUntil then return 0 end
if now < tonumber(fields[2] or '0') then return 0 end
redis.call('HSET', KEYS[1], 'probeUntil', now + tonumber(ARGV[2]))
return 1
`,
  call: (i: BreakerProbeInput) => ({ keys: [i.breakerKey], argv: [i.nowMs, i.probeLeaseMs] }),
  reply: (granted: number) => granted === 1,
});
