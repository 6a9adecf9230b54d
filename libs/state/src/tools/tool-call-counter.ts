import type { StateDeps } from '../state-deps';
import { toolCallOrdinalScript } from './tool.scripts';

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
    return toolCallOrdinalScript.run(this.deps.redis, { countsKey: this.key(taskId, tool), callKey, ttlSeconds: TTL_SECONDS });
  }
}
