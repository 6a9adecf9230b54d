import { luaScript } from '../lua/lua-script';

/** Replacing or dropping a claim of an idempotency key the caller holds. */
export interface ToolClaimInput {
  /** ToolLedgerKeys.run. */
  runKey: string;
  /** The caller's claim (`running <op id>`), as it set it. */
  claim: string;
}

/** Stores the result (`done <json>`) for the result TTL if the caller still holds the claim; true when it did. */
export const toolFinishScript = luaScript({
  command: 'batonToolFinish',
  numberOfKeys: 1,
  lua: `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
`,
  call: (i: ToolClaimInput & { done: string; ttlSeconds: number }) => ({ keys: [i.runKey], argv: [i.claim, i.done, i.ttlSeconds] }),
  reply: (stored: number) => stored === 1,
});

/** Releases the claim if the caller still holds it; true when it did. */
export const toolReleaseScript = luaScript({
  command: 'batonToolRelease',
  numberOfKeys: 1,
  lua: `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`,
  call: (i: ToolClaimInput) => ({ keys: [i.runKey], argv: [i.claim] }),
  reply: (released: number) => released === 1,
});

/** Numbering one call of a tool in a task. */
export interface ToolCallOrdinalInput {
  /** The task's per-tool call hash (ToolCallCounter). */
  countsKey: string;
  /** What makes the call the same call (the hash of its arguments). */
  callKey: string;
  ttlSeconds: number;
}

/**
 * Numbers each call of a tool in a task once: a call seen before keeps its number (a
 * repeated proposal, a re-sent command), a new one gets the next. Answers the number.
 */
export const toolCallOrdinalScript = luaScript({
  command: 'batonToolCallOrdinal',
  numberOfKeys: 1,
  lua: `
local n = redis.call('HGET', KEYS[1], ARGV[1])
if n then return tonumber(n) end
n = redis.call('HINCRBY', KEYS[1], '#', 1)
redis.call('HSET', KEYS[1], ARGV[1], n)
redis.call('EXPIRE', KEYS[1], ARGV[2])
return n
`,
  call: (i: ToolCallOrdinalInput) => ({ keys: [i.countsKey], argv: [i.callKey, i.ttlSeconds] }),
  reply: (n: number) => Number(n),
});
