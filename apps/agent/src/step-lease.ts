import type { LeaseState } from '@baton/state';

/** The lease operations a step needs (WorkLeases in the state lib). */
export interface LeasePort {
  acquire(taskId: string, workId: string, owner: string, ttlMs: number): Promise<LeaseState>;
  renew(taskId: string, workId: string, owner: string, ttlMs: number): Promise<boolean>;
  finish(taskId: string, workId: string, owner: string): Promise<void>;
}

/** Which work, and who asks. */
export interface LeaseTarget {
  taskId: string;
  /** The step.requested event id: one attempt of one step. */
  workId: string;
  /** This process (and its consumer): another replica is another owner. */
  owner: string;
}

export interface LeaseOptions {
  /** How long a lease lives without renewal; a dead holder's work is taken over after this. */
  ttlMs: number;
  /** How often a waiting consumer looks again. */
  pollMs: number;
  /** Keeps the waiting consumer in its group. */
  heartbeat(): Promise<void>;
  /** Called when the holder lost its lease while working (it was presumed dead). */
  onLost?(): void;
  sleep?(ms: number): Promise<void>;
}

/** What happened to the work. */
export type LeaseOutcome = 'ran' | 'skipped';

/**
 * Runs `work` unless another consumer runs or ran it. A step's message can reach two
 * consumers at once: when a replica joins while a step outlasts the rebalance, the step's
 * partition moves and the new owner reads the uncommitted message again. The second
 * consumer waits while the first holds the lease (renewed while it works) and skips the
 * step once it is done; it runs the step only when the first died and its lease expired.
 */
export async function runLeased(port: LeasePort, target: LeaseTarget, opts: LeaseOptions, work: () => Promise<void>): Promise<LeaseOutcome> {
  const wait = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const { taskId, workId, owner } = target;
  for (;;) {
    const state = await port.acquire(taskId, workId, owner, opts.ttlMs);
    if (state === 'done') return 'skipped';
    if (state === 'acquired') break;
    await opts.heartbeat();
    await wait(opts.pollMs);
  }
  let lost = false;
  const renewing = setInterval(() => {
    void port.renew(taskId, workId, owner, opts.ttlMs).then(
      (held) => {
        if (!held && !lost) {
          lost = true;
          opts.onLost?.();
        }
      },
      // A failed renewal is retried at the next tick; the lease outlives several.
      () => undefined,
    );
  }, Math.max(100, Math.floor(opts.ttlMs / 3)));
  try {
    await work();
  } finally {
    clearInterval(renewing);
  }
  await port.finish(taskId, workId, owner);
  return 'ran';
}
