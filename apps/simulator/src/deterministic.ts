import { createHash } from 'node:crypto';

/** Hex SHA-256 of the parts, separated so ("ab","c") and ("a","bc") differ. */
export function hashOf(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('hex');
}

/** A seeded pseudo-random source: the same seed always yields the same sequence. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

/**
 * mulberry32 over the first 32 bits of the hash: tiny, fast and good enough for test data.
 * Hand-written rather than a dependency: it is a few lines, Math.random cannot be seeded,
 * and a seed must give the same answers and faults forever, whatever a library upgrade does.
 */
export function rngFrom(hexHash: string): Rng {
  let state = Number.parseInt(hexHash.slice(0, 8), 16) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

/** Words the generator draws from: neutral business vocabulary that reads like plausible output. */
export const WORDS: readonly string[] = [
  'account', 'budget', 'customer', 'delivery', 'estimate', 'follow-up', 'growth', 'hiring', 'insight',
  'journey', 'knowledge', 'lead', 'meeting', 'network', 'offer', 'pipeline', 'quality', 'renewal',
  'signal', 'timeline', 'upgrade', 'value', 'workflow', 'priority', 'contact', 'review', 'summary',
];
