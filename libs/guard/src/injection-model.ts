/**
 * A small linear model for the injection detector: logistic regression over hashed word
 * and word-prefix features, read one passage at a time. The phrase rules catch the
 * shapes they were written for; the model adds a graded reading of the vocabulary around
 * them (who is addressed, what is asked, how) so that new wording of a known kind of
 * attack still scores. It is trained by `npm run train:injection-model` on the tuning
 * corpus only, and its weights ship with the library (injection-model-weights.ts).
 *
 * A passage is a sentence or a line, alone or with the one after it: an injection
 * embedded in a long e-mail or table is judged on its own words, not diluted by the
 * document around it. Pure; linear in the length of the text.
 */

/** Weights of a trained model: bias plus sparse hashed feature weights. */
export interface InjectionModelWeights {
  /** Number of hash buckets (a power of two). */
  buckets: number;
  bias: number;
  /** Bucket → weight, for the buckets whose weight is not negligible. */
  weights: Record<number, number>;
}

/** Scripts written without spaces between words: read as overlapping pairs of characters. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const TOKEN = /[\p{L}\p{M}\p{N}]+|[:>\]|#@*=]/gu;

/** FNV-1a, 32 bits, from a seed (a different seed per kind of feature). */
function hash(s: string, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const PREFIX_SEED = 0x2f6b1d3a;
/** A pair of word hashes as one. */
const pair = (a: number, b: number): number => (Math.imul(a ^ 0x5bd1e995, 0x01000193) + b) >>> 0;

/** Words of a passage; runs of Chinese, Japanese or Thai become overlapping character pairs. */
export function tokens(passage: string): string[] {
  const out: string[] = [];
  for (const m of passage.matchAll(TOKEN)) {
    const w = m[0];
    if (w.length > 1 && UNSPACED.test(w)) {
      const chars = [...w];
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
      if (chars.length === 1) out.push(w);
    } else out.push(w);
  }
  return out;
}

/** One sentence's hashed features (words, word pairs, the first five letters of longer words), and its first and last word. */
interface SentenceFeatures {
  f: number[];
  first: number;
  last: number;
}

function sentenceFeatures(sentence: string, mask: number): SentenceFeatures {
  const t = tokens(sentence);
  const hashes = t.map((w) => hash(w));
  const set = new Set<number>();
  for (let i = 0; i < t.length; i++) {
    set.add(hashes[i] & mask);
    if (t[i].length > 6) set.add(hash(t[i].slice(0, 5), PREFIX_SEED) & mask);
    if (i + 1 < t.length) set.add(pair(hashes[i], hashes[i + 1]) & mask);
  }
  return { f: [...set], first: hashes[0] ?? 0, last: hashes[hashes.length - 1] ?? 0 };
}

/** Features of neighbouring sentences read together: each sentence's, and the word pair across each boundary. */
function joined(parts: readonly SentenceFeatures[], mask: number): number[] {
  const f: number[] = [];
  parts.forEach((p, i) => {
    f.push(...p.f);
    if (i > 0) f.push(pair(parts[i - 1].last, p.first) & mask);
  });
  return f;
}

/** Hashed features of a passage of one or more sentences, as the model reads it. */
export function features(passage: string, buckets: number): number[] {
  const mask = buckets - 1;
  return joined(sentences(passage).map((s) => sentenceFeatures(s, mask)), mask);
}

/** Sentences and lines of a text (already normalised), each at most 400 characters. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n+/)) {
    for (const s of line.split(/(?<=[.!?。！？])\s+|(?<=[。！？])/)) {
      const trimmed = s.trim();
      if (trimmed.length === 0) continue;
      for (let i = 0; i < trimmed.length; i += 400) out.push(trimmed.slice(i, i + 400));
    }
  }
  return out;
}

/** Passages the model reads: each sentence, and each sentence with the next. */
export function passages(text: string, max = 400): string[] {
  const s = sentences(text).slice(0, max);
  const out = [...s];
  for (let i = 0; i + 1 < s.length; i++) out.push(`${s[i]}\n${s[i + 1]}`);
  return out;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Weights as a dense array, made once per model. */
const dense = new WeakMap<InjectionModelWeights, Float32Array>();
function denseWeights(model: InjectionModelWeights): Float32Array {
  let w = dense.get(model);
  if (!w) {
    w = new Float32Array(model.buckets);
    for (const [k, v] of Object.entries(model.weights)) w[Number(k)] = v;
    dense.set(model, w);
  }
  return w;
}

function probability(model: InjectionModelWeights, w: Float32Array, f: readonly number[]): number {
  if (f.length === 0) return sigmoid(model.bias);
  let z = 0;
  for (const i of f) z += w[i];
  return sigmoid(model.bias + z / Math.sqrt(f.length));
}

/** At most this many sentences of a text are read. */
const MAX_SENTENCES = 400;

/** The passage of a text the model finds most like an injection, and its probability. */
export function modelReading(model: InjectionModelWeights, text: string): { probability: number; passage: string } {
  const w = denseWeights(model);
  const mask = model.buckets - 1;
  const s = sentences(text).slice(0, MAX_SENTENCES);
  const parts = s.map((x) => sentenceFeatures(x, mask));
  let best = { probability: 0, passage: '' };
  for (let i = 0; i < parts.length; i++) {
    const single = probability(model, w, parts[i].f);
    if (single > best.probability) best = { probability: single, passage: s[i] };
    if (i + 1 < parts.length) {
      const both = probability(model, w, joined([parts[i], parts[i + 1]], mask));
      if (both > best.probability) best = { probability: both, passage: `${s[i]}\n${s[i + 1]}` };
    }
  }
  return best;
}

export interface TrainingOptions {
  buckets?: number;
  epochs?: number;
  /** Learning rate. */
  rate?: number;
  /** L2 penalty per step. */
  l2?: number;
  /** Weights smaller than this are dropped from the shipped model. */
  prune?: number;
  seed?: number;
}

/** How the shipped model is trained: corpus size and seed, and the optimiser's settings. */
export const INJECTION_MODEL_TRAINING = { samples: 20_000, seed: 7, epochs: 8, rate: 0.5, l2: 3e-5, prune: 0.05 } as const;

/** Logistic regression by stochastic gradient descent over labelled passages. Deterministic for a seed. */
export function trainInjectionModel(samples: ReadonlyArray<{ text: string; injection: boolean }>, opts: TrainingOptions = {}): InjectionModelWeights {
  const buckets = opts.buckets ?? 1 << 18;
  const epochs = opts.epochs ?? 8;
  const l2 = opts.l2 ?? 1e-6;
  const w = new Float64Array(buckets);
  let bias = 0;
  const rows = samples.map((s) => ({ f: features(s.text, buckets), y: s.injection ? 1 : 0 }));
  const positives = rows.filter((r) => r.y === 1).length;
  // Classes weighted to balance: as many passages of each kind count the same.
  const wPos = rows.length / (2 * Math.max(1, positives));
  const wNeg = rows.length / (2 * Math.max(1, rows.length - positives));
  let seed = opts.seed ?? 1;
  const random = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const order = rows.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const rate = (opts.rate ?? 0.5) / (1 + epoch);
    for (const k of order) {
      const { f, y } = rows[k];
      if (f.length === 0) continue;
      const scale = 1 / Math.sqrt(f.length);
      let z = bias;
      for (const i of f) z += w[i] * scale;
      const g = (sigmoid(z) - y) * (y === 1 ? wPos : wNeg);
      bias -= rate * g * 0.1;
      for (const i of f) w[i] -= rate * (g * scale + l2 * w[i]);
    }
  }
  const prune = opts.prune ?? 0.02;
  const weights: Record<number, number> = {};
  for (let i = 0; i < buckets; i++) if (Math.abs(w[i]) >= prune) weights[i] = Math.round(w[i] * 1000) / 1000;
  return { buckets, bias: Math.round(bias * 1000) / 1000, weights };
}
