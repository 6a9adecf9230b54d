// Flags of `baton simulate`, parsed and checked before any process starts.
import { InvalidArgumentError } from 'commander';

/**
 * Fault kinds the model simulator can inject. The simulator checks them again; knowing them
 * here turns a typo into an error before a whole stack has started.
 */
export const FAULT_KINDS = ['429', '500', '503', '400', '401', 'timeout', 'malformed'] as const;
/** The kinds injected unless --faults says otherwise: what a provider under load produces. */
export const DEFAULT_FAULTS = '429,500,timeout,malformed';
/** Model call delay unless --latency says otherwise, ms: a fast hosted model. */
export const DEFAULT_LATENCY = '20-200';

/** Options of `baton simulate`, after parsing. */
export interface SimulateOptions {
  /** Tasks to run. */
  runs: number;
  /** Tasks in flight at once. */
  concurrency: number;
  /** Share of model calls that get a fault, 0 to 1. */
  faultRate: number;
  /** Fault kinds to inject: numbers are HTTP statuses. */
  faults: Array<number | 'timeout' | 'malformed'>;
  /** Delay of every model call, drawn from this range, ms. */
  latency: { min: number; max: number };
  /** Seed of the simulator's fault and latency draws; random (and reported) when absent. */
  seed?: string;
  /** Gateway port of the stack; the other processes follow it. */
  basePort: number;
  /** Longest wait for one task, seconds. */
  taskTimeout: number;
  /** Print the report as JSON. */
  json?: boolean;
  /** Also write the report as Markdown to this file. */
  out?: string;
}

/** A whole number of at least `min`. */
export function intAtLeast(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}`);
    return n;
  };
}

/** A share from 0 to 1. */
export function rate(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a number from 0 to 1, e.g. 0.1');
  return n;
}

/** `MIN-MAX` or `N` milliseconds. */
export function latencyRange(value: string): { min: number; max: number } {
  const m = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected milliseconds as MIN-MAX or N, e.g. 20-200');
  const min = Number(m[1]);
  const max = Number(m[2] ?? m[1]);
  if (min > max) throw new InvalidArgumentError(`MIN (${min}) must not exceed MAX (${max})`);
  if (max > 600_000) throw new InvalidArgumentError('at most 600000 ms');
  return { min, max };
}

/** A comma-separated list of fault kinds. */
export function faultList(value: string): SimulateOptions['faults'] {
  const kinds = value
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (kinds.length === 0) throw new InvalidArgumentError(`expected fault kinds from ${FAULT_KINDS.join(', ')}`);
  const unknown = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
  if (unknown.length) throw new InvalidArgumentError(`unknown fault kind ${unknown.join(', ')} (known: ${FAULT_KINDS.join(', ')})`);
  return [...new Set(kinds)].map((k) => (k === 'timeout' || k === 'malformed' ? k : Number(k)));
}

/** A TCP port with room for the ten ports that follow it. */
export function basePort(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1024 || n > 65_525) throw new InvalidArgumentError('expected a port from 1024 to 65525');
  return n;
}

/** Seconds, more than zero. */
export function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}
