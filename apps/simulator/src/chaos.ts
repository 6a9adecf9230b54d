import { hashOf, rngFrom, type Rng } from './deterministic';
import { SimChaos, type LatencyRange, type SimChaosInput, type SimFault } from './sim-types';

/** What chaos decided for one unmatched request. */
export interface ChaosDraw {
  /** Fault to inject instead of the default answer, if any. */
  fault?: SimFault;
  /** Delay before answering (or before the fault). */
  latencyMs: number;
}

/** What GET /_sim/chaos answers. */
export interface ChaosView {
  /** The chaos in force, or null when it is off. */
  chaos: (SimChaos & { seed: string }) | null;
  /** Simulator-wide delay of answers without a latency of their own. */
  baseLatencyMs: LatencyRange;
  /** Unmatched requests seen and faults injected since chaos was last set or reset. */
  stats: { requests: number; injected: Record<string, number> };
}

/** A chaos body failed validation; `param` names the field. */
export class ChaosError extends Error {
  constructor(
    message: string,
    readonly param: string | null,
  ) {
    super(message);
    this.name = 'ChaosError';
  }
}

/** Validates a chaos body; throws ChaosError naming the first bad field. */
export function parseChaos(input: unknown): SimChaos {
  const r = SimChaos.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const param = issue.path.join('.') || null;
  throw new ChaosError(`${param ?? 'body'}: ${issue.message}`, param);
}

const asRange = (l: number | LatencyRange | undefined): LatencyRange =>
  typeof l === 'number' || l === undefined ? { min: l ?? 0, max: l ?? 0 } : l;

/**
 * Global fault and latency injection for requests no scripted rule matches. Every draw
 * comes from one seeded sequence that restarts whenever chaos is set, cleared or reset, so
 * the same seed and the same order of requests give the same faults and delays.
 */
export class Chaos {
  private settings: (SimChaos & { seed: string }) | null = null;
  private rng!: Rng;
  private requests = 0;
  private injected: Record<string, number> = {};
  private readonly baseLatency: LatencyRange;

  constructor(
    baseLatency: number | LatencyRange | undefined,
    private readonly defaultSeed: string,
    private readonly initial?: SimChaosInput,
  ) {
    this.baseLatency = asRange(baseLatency);
    this.reset();
  }

  /** Replaces the chaos in force; validates first and changes nothing when the body is bad. */
  set(input: unknown): ChaosView {
    const parsed = parseChaos(input);
    this.apply({ ...parsed, seed: String(parsed.seed ?? this.defaultSeed) });
    return this.view();
  }

  /** Switches chaos off: unmatched requests get default answers after the simulator-wide latency. */
  clear(): void {
    this.apply(null);
  }

  /** Back to the chaos the simulator started with. */
  reset(): void {
    if (!this.initial) return this.apply(null);
    const parsed = parseChaos(this.initial);
    this.apply({ ...parsed, seed: String(parsed.seed ?? this.defaultSeed) });
  }

  view(): ChaosView {
    return {
      chaos: this.settings,
      baseLatencyMs: this.baseLatency,
      stats: { requests: this.requests, injected: { ...this.injected } },
    };
  }

  /**
   * Decides the fate of one unmatched request. Always takes three numbers from the sequence
   * (fault?, which fault, delay) so one request's outcome never shifts the draws of the next.
   */
  drawUnmatched(): ChaosDraw {
    const s = this.settings;
    const [hit, kind, delay] = [this.rng.next(), this.rng.next(), this.rng.next()];
    const latencyMs = within(s?.latencyMs ?? this.baseLatency, delay);
    if (!s) return { latencyMs };
    this.requests++;
    if (hit >= s.faultRate) return { latencyMs };
    const fault = s.faults[Math.floor(kind * s.faults.length)];
    this.injected[String(fault)] = (this.injected[String(fault)] ?? 0) + 1;
    return { fault, latencyMs };
  }

  /** Simulator-wide delay for a scripted reply that sets none of its own. */
  baseDelay(): number {
    const { min, max } = this.baseLatency;
    return min === max ? min : within(this.baseLatency, this.rng.next());
  }

  private apply(settings: (SimChaos & { seed: string }) | null): void {
    this.settings = settings;
    this.rng = rngFrom(hashOf('chaos', settings?.seed ?? this.defaultSeed));
    this.requests = 0;
    this.injected = {};
  }
}

function within(range: LatencyRange, u: number): number {
  return range.min + Math.floor(u * (range.max - range.min + 1));
}
