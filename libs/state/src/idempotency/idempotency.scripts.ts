import { luaScript } from '../lua/lua-script';

/** Claiming a client's idempotency key for a task. */
export interface ClaimInput {
  /** KeySpace.idempotency. */
  key: string;
  taskId: string;
  ttlSeconds: number;
}

/**
 * Answers the task id holding the key: the given one when this call (or an earlier one with
 * the same task id) claimed it, so a re-sent claim answers as the first did.
 */
export const claimScript = luaScript({
  command: 'batonClaim',
  numberOfKeys: 1,
  lua: `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return ARGV[1] end
return redis.call('GET', KEYS[1])
`,
  call: (i: ClaimInput) => ({ keys: [i.key], argv: [i.taskId, i.ttlSeconds] }),
  reply: (holder: string) => holder,
});
