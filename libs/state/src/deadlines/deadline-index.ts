import type { StateDeps } from '../state-deps';

/**
 * Running tasks by deadline, so a sweep can stop a task nobody sends events for any more
 * (an agent that never answers, a lost step). Every planner replica may sweep: stopping a
 * task is an atomic state transition, so two sweepers never both stop it.
 */
export class DeadlineIndex {
  constructor(private readonly deps: StateDeps) {}

  /** Records (or moves) the deadline of a task; `at` is ms since epoch. ZADD is idempotent. */
  async schedule(taskId: string, at: number): Promise<void> {
    await this.deps.redis.zadd(this.deps.keys.deadlines(), at, taskId);
  }

  /** Forgets a task's deadline (it ended). */
  async clear(taskId: string): Promise<void> {
    await this.deps.redis.zrem(this.deps.keys.deadlines(), taskId);
  }

  /** Up to `limit` task ids whose deadline is at or before `now`, earliest first. */
  async due(now: number, limit = 100): Promise<string[]> {
    return this.deps.redis.zrangebyscore(this.deps.keys.deadlines(), '-inf', now, 'LIMIT', 0, limit);
  }
}
