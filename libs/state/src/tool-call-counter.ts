import type { StateDeps } from './state-deps';

/**
 * KEYS: the task's per-tool call hash. ARGV: call key, TTL s.
 * Numbers each call of a tool in a task once: a call seen before keeps its number (a
 * repeated proposal, a re-sent command), a new one gets the next. Returns the number.
 */
const COUNT_CALL = `
local n = redis.call('HGET', KEYS[1], ARGV[1])
if n then return tonumber(n) end
n = redis.call('HINCRBY', KEYS[1], '#', 1)
redis.call('HSET', KEYS[1], ARGV[1], n)
redis.call('EXPIRE', KEYS[1], ARGV[2])
return n
`;

const TTL_SECONDS = 8 * 86_400;

/**
 * How many distinct calls of each tool a task has proposed, for the permission policy's
 * `maxCallsPerTask`. The caller names a call by what makes it the same call (the hash of
 * its arguments): proposing it again (a rerun after a human approved it, a redelivery)
 * keeps its number. Refused calls count too, so a model that keeps trying runs out sooner,
 * never later. Numbers are handed out atomically, so two agents proposing at once can
 * never both take the last allowed call.
 */
export class ToolCallCounter {
  constructor(private readonly deps: StateDeps) {}

  private key(taskId: string, tool: string): string {
    return `${this.deps.keys.taskContext(taskId)}:toolcalls:${tool}`;
  }

  /** The 1-based ordinal of this call among the task's calls of `tool`; the same call key always gets the same one. */
  async ordinal(taskId: string, tool: string, callKey: string): Promise<number> {
    const n = await this.deps.redis.eval(COUNT_CALL, 1, this.key(taskId, tool), callKey, TTL_SECONDS);
    return Number(n);
  }
}
