import type { LeaseState } from '@baton/state';
import { runLeased, type LeasePort } from './step-lease';

/** A lease table in memory with the WorkLeases semantics, for the pure waiting logic. */
class Leases implements LeasePort {
  readonly rows = new Map<string, { owner: string; state: 'running' | 'done' }>();
  async acquire(_t: string, work: string, owner: string): Promise<LeaseState> {
    const row = this.rows.get(work);
    if (row?.state === 'done') return 'done';
    if (row && row.owner !== owner) return 'held';
    this.rows.set(work, { owner, state: 'running' });
    return 'acquired';
  }
  async renew(_t: string, work: string, owner: string): Promise<boolean> {
    const row = this.rows.get(work);
    return row?.owner === owner && row.state === 'running';
  }
  async finish(_t: string, work: string, owner: string): Promise<void> {
    this.rows.set(work, { owner, state: 'done' });
  }
}

const target = (owner: string) => ({ taskId: 't', workId: 'step-event-1', owner });

describe('runLeased', () => {
  it('runs the work once and marks it done', async () => {
    const leases = new Leases();
    let runs = 0;
    const outcome = await runLeased(leases, target('a'), { ttlMs: 1000, pollMs: 1, heartbeat: async () => undefined }, async () => void runs++);
    expect(outcome).toBe('ran');
    expect(runs).toBe(1);
    expect(leases.rows.get('step-event-1')?.state).toBe('done');
  });

  it('skips work another replica already finished', async () => {
    const leases = new Leases();
    await leases.finish('t', 'step-event-1', 'a');
    let runs = 0;
    expect(await runLeased(leases, target('b'), { ttlMs: 1000, pollMs: 1, heartbeat: async () => undefined }, async () => void runs++)).toBe('skipped');
    expect(runs).toBe(0);
  });

  it('waits, heartbeating, while another replica holds the lease, then skips once it finished (a step delivered twice by a rebalance runs once)', async () => {
    const leases = new Leases();
    await leases.acquire('t', 'step-event-1', 'a');
    let beats = 0;
    let runs = 0;
    const sleep = async () => {
      if (beats === 3) await leases.finish('t', 'step-event-1', 'a');
    };
    const outcome = await runLeased(leases, target('b'), { ttlMs: 1000, pollMs: 1, heartbeat: async () => void beats++, sleep }, async () => void runs++);
    expect(outcome).toBe('skipped');
    expect(runs).toBe(0);
    expect(beats).toBe(3);
  });

  it('takes the work over when the holder died and its lease expired', async () => {
    const leases = new Leases();
    await leases.acquire('t', 'step-event-1', 'a');
    let runs = 0;
    const sleep = async () => void leases.rows.delete('step-event-1');
    expect(await runLeased(leases, target('b'), { ttlMs: 1000, pollMs: 1, heartbeat: async () => undefined, sleep }, async () => void runs++)).toBe('ran');
    expect(runs).toBe(1);
  });

  it('leaves the lease to expire when the work throws, so a redelivery may run it again', async () => {
    const leases = new Leases();
    await expect(runLeased(leases, target('a'), { ttlMs: 1000, pollMs: 1, heartbeat: async () => undefined }, async () => Promise.reject(new Error('kafka down')))).rejects.toThrow('kafka down');
    expect(leases.rows.get('step-event-1')?.state).toBe('running');
    // The same replica retrying (the bus' retry) gets it again at once.
    expect(await leases.acquire('t', 'step-event-1', 'a')).toBe('acquired');
  });
});
