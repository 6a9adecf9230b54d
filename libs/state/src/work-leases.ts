import type { StateDeps } from './state-deps';

/**
 * KEYS: lease. ARGV: owner, ttl ms.
 * Returns 'done' when the work was finished, 'held' while another owner's lease is alive,
 * else takes (or renews) the lease for `owner` and returns 'acquired'.
 */
const ACQUIRE = `
local v = redis.call('HMGET', KEYS[1], 'owner', 'state')
if v[2] == 'done' then return 'done' end
if v[1] and v[1] ~= ARGV[1] then return 'held' end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'state', 'running')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 'acquired'
`;

/** KEYS: lease. ARGV: owner, ttl ms. Extends the owner's running lease; 1 when it still held it. */
const RENEW = `
local v = redis.call('HMGET', KEYS[1], 'owner', 'state')
if v[1] ~= ARGV[1] or v[2] ~= 'running' then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/** KEYS: lease. ARGV: owner, ttl s of the done mark. Marks the work done (whoever held it last). */
const FINISH = `
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'state', 'done')
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
`;

interface LeaseCommands {
  batonLeaseAcquire(key: string, owner: string, ttlMs: number): Promise<'acquired' | 'held' | 'done'>;
  batonLeaseRenew(key: string, owner: string, ttlMs: number): Promise<number>;
  batonLeaseFinish(key: string, owner: string, doneTtlSeconds: number): Promise<number>;
}

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
  private readonly redis: StateDeps['redis'] & LeaseCommands;

  constructor(
    private readonly deps: StateDeps,
    private readonly doneTtlSeconds = DEFAULT_LEASE_DONE_TTL_SECONDS,
  ) {
    const redis = deps.redis as StateDeps['redis'] & Partial<LeaseCommands>;
    if (typeof redis.batonLeaseAcquire !== 'function') {
      redis.defineCommand('batonLeaseAcquire', { numberOfKeys: 1, lua: ACQUIRE });
      redis.defineCommand('batonLeaseRenew', { numberOfKeys: 1, lua: RENEW });
      redis.defineCommand('batonLeaseFinish', { numberOfKeys: 1, lua: FINISH });
    }
    this.redis = redis as StateDeps['redis'] & LeaseCommands;
  }

  /** Takes the lease on `workId` of the task for `ttlMs` unless another owner holds it or the work is done. */
  acquire(taskId: string, workId: string, owner: string, ttlMs: number): Promise<LeaseState> {
    return this.redis.batonLeaseAcquire(this.deps.keys.workLease(taskId, workId), owner, ttlMs);
  }

  /** Keeps the owner's lease alive for another `ttlMs`; false when it was lost (expired and taken, or done). */
  async renew(taskId: string, workId: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.batonLeaseRenew(this.deps.keys.workLease(taskId, workId), owner, ttlMs)) === 1;
  }

  /** Marks the work done; later deliveries of it are skipped. */
  async finish(taskId: string, workId: string, owner: string): Promise<void> {
    await this.redis.batonLeaseFinish(this.deps.keys.workLease(taskId, workId), owner, this.doneTtlSeconds);
  }
}
