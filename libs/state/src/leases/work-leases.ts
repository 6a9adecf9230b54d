import type { StateDeps } from '../state-deps';
import { leaseAcquireScript, leaseFinishScript, leaseRenewScript } from './lease.scripts';

/** What acquiring a lease found. */
export type LeaseState = 'acquired' | 'held' | 'done';

/** How long a done mark is kept: longer than any redelivery of the work's message. */
export const DEFAULT_LEASE_DONE_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Leases on units of work that may be delivered to two consumers at once: a long agent step
 * whose partition moves to a replica that joined (a rebalance) while it runs. The holder
 * renews its lease while it works and marks it done at the end; another consumer given the
 * same work waits while the lease is alive and skips it once done, and takes it over only
 * when the holder died (its lease expired). Keys share the task's hash tag.
 */
export class WorkLeases {
  constructor(
    private readonly deps: StateDeps,
    private readonly doneTtlSeconds = DEFAULT_LEASE_DONE_TTL_SECONDS,
  ) {}

  /** Takes the lease on `workId` of the task for `ttlMs` unless another owner holds it or the work is done. */
  acquire(taskId: string, workId: string, owner: string, ttlMs: number): Promise<LeaseState> {
    return leaseAcquireScript.run(this.deps.redis, { leaseKey: this.deps.keys.workLease(taskId, workId), owner, ttlMs });
  }

  /** Keeps the owner's lease alive for another `ttlMs`; false when it was lost (expired and taken, or done). */
  async renew(taskId: string, workId: string, owner: string, ttlMs: number): Promise<boolean> {
    return leaseRenewScript.run(this.deps.redis, { leaseKey: this.deps.keys.workLease(taskId, workId), owner, ttlMs });
  }

  /** Marks the work done; later deliveries of it are skipped. */
  async finish(taskId: string, workId: string, owner: string): Promise<void> {
    await leaseFinishScript.run(this.deps.redis, { leaseKey: this.deps.keys.workLease(taskId, workId), owner, doneTtlSeconds: this.doneTtlSeconds });
  }
}
