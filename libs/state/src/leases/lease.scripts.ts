import { luaScript } from '../lua/lua-script';
import type { LeaseState } from './work-leases';

/** Taking or renewing a lease. */
export interface LeaseInput {
  /** KeySpace.workLease. */
  leaseKey: string;
  owner: string;
  ttlMs: number;
}

/**
 * `done` when the work was finished, `held` while another owner's lease is alive, else
 * takes (or renews) the lease for `owner`: `acquired`.
 */
export const leaseAcquireScript = luaScript({
  command: 'batonLeaseAcquire',
  numberOfKeys: 1,
  lua: `
local v = redis.call('HMGET', KEYS[1], 'owner', 'state')
if v[2] == 'done' then return 'done' end
if v[1] and v[1] ~= ARGV[1] then return 'held' end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'state', 'running')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 'acquired'
`,
  call: (i: LeaseInput) => ({ keys: [i.leaseKey], argv: [i.owner, i.ttlMs] }),
  reply: (found: LeaseState) => found,
});

/** Extends the owner's running lease; true when it still held it. */
export const leaseRenewScript = luaScript({
  command: 'batonLeaseRenew',
  numberOfKeys: 1,
  lua: `
local v = redis.call('HMGET', KEYS[1], 'owner', 'state')
if v[1] ~= ARGV[1] or v[2] ~= 'running' then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`,
  call: (i: LeaseInput) => ({ keys: [i.leaseKey], argv: [i.owner, i.ttlMs] }),
  reply: (renewed: number) => renewed === 1,
});

/** Marking the work done. */
export interface LeaseFinishInput {
  /** KeySpace.workLease. */
  leaseKey: string;
  owner: string;
  /** How long the done mark is kept. */
  doneTtlSeconds: number;
}

/** Marks the work done (whoever held it last). */
export const leaseFinishScript = luaScript({
  command: 'batonLeaseFinish',
  numberOfKeys: 1,
  lua: `
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'state', 'done')
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
`,
  call: (i: LeaseFinishInput) => ({ keys: [i.leaseKey], argv: [i.owner, i.doneTtlSeconds] }),
  reply: (_done: number) => undefined,
});
