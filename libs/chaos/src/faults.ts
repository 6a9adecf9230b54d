import type { FaultKind } from './options';
import { Prng } from './options';

/** One planned fault. */
export interface PlannedFault {
  /** Ms after the start of submissions. */
  atMs: number;
  kind: FaultKind;
  /** Service to kill (kind `kill`), or the Redis fault mode (kind `redis-fault`). */
  target?: string;
  /** How long the fault lasts (redis-fault: 1-2 s; kill: pause before the restart). */
  durationMs: number;
}

/** What happened when a fault was injected. */
export interface FaultRecord extends PlannedFault {
  /** When it actually began, ms after the start of submissions. */
  startedMs: number;
  /** Ms until the faulted part was back (restarted and ready). */
  recoveryMs?: number;
  error?: string;
}

/**
 * Draws the faults of a run, spread over `[10 %, 90 %]` of the submission window: kills of
 * random services, broker and Redis restarts, and transient Redis faults (LOADING or
 * dropped connections, 1-2 s each). Repeatable for a seed.
 */
export function planFaults(opts: {
  windowMs: number;
  seed: number;
  kinds: readonly FaultKind[];
  kills: number;
  brokerRestarts: number;
  redisRestarts: number;
  redisFaults: number;
  services: readonly string[];
}): PlannedFault[] {
  const rng = new Prng(opts.seed ^ 0x5eed);
  const on = new Set(opts.kinds);
  const when = () => Math.round(opts.windowMs * (0.1 + 0.8 * rng.next()));
  const out: PlannedFault[] = [];
  // Every service gets killed once before any is killed twice.
  const order = [...opts.services].sort(() => rng.next() - 0.5);
  if (on.has('kill')) for (let i = 0; i < opts.kills; i++) out.push({ atMs: when(), kind: 'kill', target: order[i % order.length], durationMs: rng.int(200, 3000) });
  if (on.has('broker')) for (let i = 0; i < opts.brokerRestarts; i++) out.push({ atMs: when(), kind: 'broker', target: 'KILL', durationMs: 0 });
  if (on.has('redis')) for (let i = 0; i < opts.redisRestarts; i++) out.push({ atMs: when(), kind: 'redis', target: 'TERM', durationMs: rng.int(500, 2000) });
  if (on.has('redis-fault')) {
    for (let i = 0; i < opts.redisFaults; i++) out.push({ atMs: when(), kind: 'redis-fault', target: i % 2 === 0 ? 'loading' : 'down', durationMs: rng.int(1000, 2000) });
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}
