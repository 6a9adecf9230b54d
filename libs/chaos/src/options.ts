/** Kinds of task the chaos run submits. */
export const TASK_KINDS = ['single', 'workflow', 'debate', 'tools', 'escalate'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** Kinds of fault it injects. */
export const FAULT_KINDS = ['kill', 'broker', 'redis', 'redis-fault'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Everything a chaos run is told. */
export interface ChaosOptions {
  /** Tasks to submit. */
  tasks: number;
  /** Submissions per second. */
  rate: number;
  /** Share of each kind of task (weights, any scale). */
  mix: Record<TaskKind, number>;
  /** Fault kinds injected. */
  faults: FaultKind[];
  /** Service SIGKILLs (each followed by a restart) spread over the submission window. */
  kills: number;
  /** Kafka broker restarts. */
  brokerRestarts: number;
  /** Redis restarts (AOF on). */
  redisRestarts: number;
  /** Transient Redis faults through the proxy (LOADING answers or dropped connections, 1-2 s). */
  redisFaults: number;
  /** Seed of the PRNG: the same seed draws the same tasks, victims and fault times. */
  seed: number;
  /** Seconds after the last submission for tasks to end before invariants are checked. */
  settleSeconds: number;
  /** Folder of the reports. */
  out: string;
  /** Gateway port of the chaos stack (others follow it). */
  basePort: number;
  /** Ports of the chaos infrastructure. */
  kafkaPort: number;
  kafkaControllerPort: number;
  redisPort: number;
  redisProxyPort: number;
  /** Agent processes per deployment. */
  agentReplicas: number;
  /**
   * Delay of each model answer, drawn from this range (ms). A real provider takes hundreds of
   * ms; with none, a kill almost never lands while an agent waits for a model.
   */
  simLatencyMs: { min: number; max: number };
  /** Show a progress bar. */
  progress: boolean;
}

export const DEFAULT_OPTIONS: ChaosOptions = {
  tasks: 200,
  rate: 2,
  mix: { single: 50, workflow: 20, debate: 10, tools: 10, escalate: 10 },
  faults: [...FAULT_KINDS],
  kills: 10,
  brokerRestarts: 1,
  redisRestarts: 1,
  redisFaults: 4,
  seed: 1,
  settleSeconds: 180,
  out: 'bench-results',
  basePort: 18080,
  kafkaPort: 19092,
  kafkaControllerPort: 19093,
  redisPort: 16399,
  redisProxyPort: 16398,
  agentReplicas: 2,
  simLatencyMs: { min: 100, max: 600 },
  progress: true,
};

/** Parses `single=50,workflow=20,...`; kinds left out weigh 0. */
export function parseMix(text: string): Record<TaskKind, number> {
  const mix = Object.fromEntries(TASK_KINDS.map((k) => [k, 0])) as Record<TaskKind, number>;
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value] = part.split('=');
    if (!(TASK_KINDS as readonly string[]).includes(name)) throw new RangeError(`--mix: unknown kind ${name} (kinds: ${TASK_KINDS.join(', ')})`);
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new RangeError(`--mix: ${name} needs a non-negative weight, got ${value}`);
    mix[name as TaskKind] = n;
  }
  if (Object.values(mix).every((v) => v === 0)) throw new RangeError('--mix: at least one kind needs a positive weight');
  return mix;
}

/** Parses `kill,broker,...`; `none` for no faults. */
export function parseFaults(text: string): FaultKind[] {
  if (text.trim() === 'none') return [];
  const kinds = text.split(',').map((p) => p.trim()).filter(Boolean);
  for (const k of kinds) if (!(FAULT_KINDS as readonly string[]).includes(k)) throw new RangeError(`--faults: unknown kind ${k} (kinds: ${FAULT_KINDS.join(', ')}, or none)`);
  return [...new Set(kinds)] as FaultKind[];
}

const NUMERIC: Record<string, keyof ChaosOptions> = {
  tasks: 'tasks',
  rate: 'rate',
  'kill-every': 'kills',
  kills: 'kills',
  'broker-restarts': 'brokerRestarts',
  'redis-restarts': 'redisRestarts',
  'redis-faults': 'redisFaults',
  seed: 'seed',
  settle: 'settleSeconds',
  'base-port': 'basePort',
  'agent-replicas': 'agentReplicas',
};

/** What `npm run chaos -- --help` prints. */
export const USAGE = `npm run chaos -- [flags]

Starts its own Kafka, Redis (AOF on) and the whole stack on their own ports, submits tasks
through the gateway while it kills and restarts services, the broker and Redis and injects
transient Redis faults, then checks every crash-safety invariant and writes
<out>/chaos-<time>.json|md and chaos-latest.*. Exits 2 when an invariant is not zero.

  --tasks N            tasks to submit (default ${DEFAULT_OPTIONS.tasks})
  --rate R             submissions per second (default ${DEFAULT_OPTIONS.rate})
  --mix k=w,...        weights of ${TASK_KINDS.join(', ')} (default single=50,workflow=20,debate=10,tools=10,escalate=10)
  --faults k,...       fault kinds: ${FAULT_KINDS.join(', ')}, or none (default all)
  --kills N            service SIGKILLs, each followed by a restart (default ${DEFAULT_OPTIONS.kills})
  --kill-every S       a kill every S seconds instead of a count
  --broker-restarts N  Kafka broker restarts (default ${DEFAULT_OPTIONS.brokerRestarts})
  --redis-restarts N   Redis restarts (default ${DEFAULT_OPTIONS.redisRestarts})
  --redis-faults N     transient Redis faults: LOADING answers or dropped connections (default ${DEFAULT_OPTIONS.redisFaults})
  --seed N             seed of tasks, victims and fault times (default ${DEFAULT_OPTIONS.seed})
  --settle S           seconds for tasks to end after the last submission (default ${DEFAULT_OPTIONS.settleSeconds})
  --out DIR            folder of the reports (default ${DEFAULT_OPTIONS.out})
  --base-port P        gateway port of the chaos stack (default ${DEFAULT_OPTIONS.basePort})
  --agent-replicas N   processes per agent deployment (default ${DEFAULT_OPTIONS.agentReplicas})
  --sim-latency MS     model answer delay, N or MIN-MAX ms (default ${DEFAULT_OPTIONS.simLatencyMs.min}-${DEFAULT_OPTIONS.simLatencyMs.max})
  --no-progress        no progress bar
  --help               this text
`;

/**
 * Parses the command line (`--tasks 200 --rate 2 --mix single=50,... --faults kill,broker
 * --kills 10 --broker-restarts 1 --redis-restarts 1 --redis-faults 4 --seed 7 --settle 180
 * --out bench-results --no-progress`). `--kill-every <s>` gives kills as a period instead of
 * a count; it is turned into a count once the submission window is known.
 */
export function parseArgs(argv: readonly string[], base: ChaosOptions = DEFAULT_OPTIONS): ChaosOptions & { killEverySeconds?: number; help?: boolean } {
  const out: ChaosOptions & { killEverySeconds?: number; help?: boolean } = { ...base, mix: { ...base.mix }, faults: [...base.faults] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (!flag.startsWith('--')) throw new RangeError(`unexpected argument ${flag}`);
    const name = flag.slice(2);
    if (name === 'help') {
      out.help = true;
      continue;
    }
    if (name === 'no-progress') {
      out.progress = false;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new RangeError(`${flag} needs a value`);
    if (name === 'mix') out.mix = parseMix(value);
    else if (name === 'faults') out.faults = parseFaults(value);
    else if (name === 'out') out.out = value;
    else if (name === 'sim-latency') out.simLatencyMs = parseLatency(flag, value);
    else if (name === 'kill-every') out.killEverySeconds = positiveNumber(flag, value);
    else if (NUMERIC[name]) (out as unknown as Record<string, number>)[NUMERIC[name]] = nonNegative(flag, value);
    else throw new RangeError(`unknown flag ${flag}`);
  }
  if (out.tasks < 1 || !Number.isInteger(out.tasks)) throw new RangeError('--tasks must be a positive integer');
  if (out.rate <= 0) throw new RangeError('--rate must be positive');
  if (out.killEverySeconds) out.kills = Math.floor(out.tasks / out.rate / out.killEverySeconds);
  return out;
}

/** Parses `N` or `MIN-MAX` milliseconds. */
export function parseLatency(flag: string, value: string): { min: number; max: number } {
  const m = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  if (!m) throw new RangeError(`${flag} needs N or MIN-MAX milliseconds, got ${value}`);
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  if (min > max) throw new RangeError(`${flag}: MIN must not exceed MAX, got ${value}`);
  if (max > 600_000) throw new RangeError(`${flag}: at most 600000 ms, got ${value}`);
  return { min, max };
}

function nonNegative(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${flag} needs a non-negative number, got ${value}`);
  return n;
}

function positiveNumber(flag: string, value: string): number {
  const n = nonNegative(flag, value);
  if (n === 0) throw new RangeError(`${flag} must be positive`);
  return n;
}

/** A small seeded PRNG (mulberry32): repeatable draws for a given seed. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A kind drawn by weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    const total = entries.reduce((n, [, w]) => n + w, 0);
    let x = this.next() * total;
    for (const [k, w] of entries) {
      if (x < w) return k;
      x -= w;
    }
    const last = entries.filter(([, w]) => w > 0).at(-1);
    if (!last) throw new RangeError('weighted: no positive weight');
    return last[0];
  }
}
