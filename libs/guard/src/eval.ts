import type { InjectionSample } from './corpus/injection-corpus';
import type { PiiSample } from './corpus/pii-corpus';
import { detectInjection, type InjectionOptions, type InjectionResult } from './injection';
import { PII_KINDS, detectPii, type PiiKind, type PiiMatch } from './pii';

/** Precision and recall of one class. */
export interface Score {
  /** Labelled items found. */
  tp: number;
  /** Detections with no labelled item of their class under them. */
  fp: number;
  /** Labelled items not found. */
  fn: number;
  precision: number;
  recall: number;
}

/** A miss or a false alarm, kept to show what went wrong. */
export interface EvalError {
  sample: number;
  kind: string;
  value: string;
  /** Some text around it. */
  context: string;
}

export interface PiiEvaluation {
  samples: number;
  perKind: Record<PiiKind, Score>;
  /** Recall per generator slot (ssn, nino, jwt, …), to see which format is missed. */
  perSlot: Record<string, { support: number; found: number }>;
  falseNegatives: EvalError[];
  falsePositives: EvalError[];
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);

function score(tp: number, fp: number, fn: number): Score {
  // Precision over detections (tp counts labels, so use detections that hit a label).
  return { tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) };
}

function context(text: string, start: number, end: number): string {
  return text.slice(Math.max(0, start - 30), Math.min(text.length, end + 30)).replace(/\n/g, '⏎');
}

/**
 * Span-level evaluation of a detector on a labelled corpus. A labelled entity is a true
 * positive when a detection of the same kind covers its whole range; a detection is a
 * false positive when it covers no labelled entity of its kind (a look-alike, ordinary
 * text, or an entity of another kind).
 */
export function evaluatePii(samples: readonly PiiSample[], detect: (text: string) => PiiMatch[] = (t) => detectPii(t)): PiiEvaluation {
  const counts = Object.fromEntries(PII_KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }])) as Record<PiiKind, { tp: number; fp: number; fn: number }>;
  const perSlot: PiiEvaluation['perSlot'] = {};
  const falseNegatives: EvalError[] = [];
  const falsePositives: EvalError[] = [];

  for (const sample of samples) {
    const found = detect(sample.text);
    const covers = (d: PiiMatch, e: { kind: PiiKind; start: number; end: number }): boolean => d.kind === e.kind && d.start <= e.start && d.end >= e.end;
    for (const e of sample.entities) {
      const hit = found.some((d) => covers(d, e));
      const slot = (perSlot[e.slot] ??= { support: 0, found: 0 });
      slot.support++;
      if (hit) {
        slot.found++;
        counts[e.kind].tp++;
      } else {
        counts[e.kind].fn++;
        falseNegatives.push({ sample: sample.id, kind: `${e.kind}/${e.slot}`, value: e.value, context: context(sample.text, e.start, e.end) });
      }
    }
    for (const d of found) {
      if (sample.entities.some((e) => covers(d, e))) continue;
      counts[d.kind].fp++;
      falsePositives.push({ sample: sample.id, kind: d.kind, value: d.value, context: context(sample.text, d.start, d.end) });
    }
  }

  const perKind = Object.fromEntries(PII_KINDS.map((k) => [k, score(counts[k].tp, counts[k].fp, counts[k].fn)])) as Record<PiiKind, Score>;
  return { samples: samples.length, perKind, perSlot, falseNegatives, falsePositives };
}

/** How one slice of the corpus (a category, a language) fares. */
export interface InjectionRates {
  attacks: number;
  /** Attacks caught: verdict `injection`, or `suspicious` for a tool result (which the agent then sanitises). */
  detected: number;
  benign: number;
  /** Benign texts at verdict `injection` (refused or withheld). */
  falseAlarms: number;
  /** Benign texts at verdict `suspicious` (sanitised, noted in the audit). */
  suspicious: number;
}

export interface InjectionEvaluation {
  samples: number;
  /** Positive = caught: verdict `injection`, or `suspicious` for a tool result; a false positive is a benign text at `injection`. */
  detected: Score;
  /** Positive = verdict `injection`. */
  injection: Score;
  /** Positive = verdict `suspicious` or `injection`. */
  flagged: Score;
  /** Per source of the text (user input, tool result). */
  perSource: Record<'user' | 'tool', Score>;
  /** By kind of attack or of ordinary text. */
  perCategory: Record<string, InjectionRates>;
  /** By language of the attack or text. */
  perLanguage: Record<string, InjectionRates>;
  falseNegatives: EvalError[];
  falsePositives: EvalError[];
}

/**
 * Detection-level evaluation of the injection detector: every sample is an injection
 * or benign, and is scored with the source it would arrive from.
 */
export function evaluateInjection(
  samples: readonly InjectionSample[],
  detect: (text: string, opts: InjectionOptions) => InjectionResult = detectInjection,
): InjectionEvaluation {
  const tally = () => ({ tp: 0, fp: 0, fn: 0 });
  const strict = tally();
  const loose = tally();
  const bySource = { user: tally(), tool: tally() };
  const caughtTally = tally();
  const perCategory: Record<string, InjectionRates> = {};
  const perLanguage: Record<string, InjectionRates> = {};
  const rates = (): InjectionRates => ({ attacks: 0, detected: 0, benign: 0, falseAlarms: 0, suspicious: 0 });
  const falseNegatives: EvalError[] = [];
  const falsePositives: EvalError[] = [];

  for (const s of samples) {
    const result = detect(s.text, { source: s.source });
    const caught = result.verdict === 'injection';
    const flagged = result.verdict !== 'clean';
    // A suspicious tool result is sanitised before the model reads it; a suspicious user input goes through.
    const detected = caught || (flagged && s.source === 'tool');
    for (const [t, hit] of [
      [strict, caught],
      [loose, flagged],
      [bySource[s.source], caught],
    ] as const) {
      if (s.injection && hit) t.tp++;
      else if (s.injection) t.fn++;
      else if (hit) t.fp++;
    }
    if (s.injection && detected) caughtTally.tp++;
    else if (s.injection) caughtTally.fn++;
    else if (caught) caughtTally.fp++;
    for (const slice of [(perCategory[s.category] ??= rates()), (perLanguage[s.language] ??= rates())]) {
      if (s.injection) {
        slice.attacks++;
        if (detected) slice.detected++;
      } else {
        slice.benign++;
        if (caught) slice.falseAlarms++;
        else if (flagged) slice.suspicious++;
      }
    }
    const excerpt = s.text.slice(0, 160).replace(/\n/g, '⏎');
    if (s.injection && !detected) falseNegatives.push({ sample: s.id, kind: `${s.source}/${s.family}`, value: result.score.toFixed(2), context: excerpt });
    if (!s.injection && caught) falsePositives.push({ sample: s.id, kind: `${s.source}/${s.family}`, value: result.score.toFixed(2), context: excerpt });
  }
  const sc = (t: { tp: number; fp: number; fn: number }): Score => score(t.tp, t.fp, t.fn);
  return {
    samples: samples.length,
    detected: sc(caughtTally),
    injection: sc(strict),
    flagged: sc(loose),
    perSource: { user: sc(bySource.user), tool: sc(bySource.tool) },
    perCategory,
    perLanguage,
    falseNegatives,
    falsePositives,
  };
}

/**
 * A plain-text table with aligned columns: text left, numbers right. A column with any
 * fraction, or listed in `ratios`, shows three decimals.
 */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>, ratios: readonly string[] = []): string {
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number'));
  const fractional = header.map((h, i) => numeric[i] && (ratios.includes(h) || rows.some((row) => !Number.isInteger(row[i]))));
  const cells = [header.map(String), ...rows.map((row) => row.map((c, i) => (typeof c === 'number' ? (fractional[i] ? c.toFixed(3) : String(c)) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]): string => row.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** The PII evaluation as a table: one row per kind, then the total. */
export function piiTable(e: PiiEvaluation): string {
  const rows: Array<Array<string | number>> = PII_KINDS.map((k) => {
    const s = e.perKind[k];
    return [k, s.tp + s.fn, s.tp, s.fp, s.fn, s.precision, s.recall];
  });
  const t = PII_KINDS.reduce((acc, k) => ({ tp: acc.tp + e.perKind[k].tp, fp: acc.fp + e.perKind[k].fp, fn: acc.fn + e.perKind[k].fn }), { tp: 0, fp: 0, fn: 0 });
  const all = score(t.tp, t.fp, t.fn);
  rows.push(['all', t.tp + t.fn, t.tp, t.fp, t.fn, all.precision, all.recall]);
  return formatTable(['kind', 'support', 'tp', 'fp', 'fn', 'precision', 'recall'], rows, ['precision', 'recall']);
}

/** The injection evaluation as a table: overall (injection verdict), flagged (suspicious or worse), per source. */
export function injectionTable(e: InjectionEvaluation): string {
  const row = (name: string, s: Score) => [name, s.tp + s.fn, s.tp, s.fp, s.fn, s.precision, s.recall];
  return formatTable(
    ['positive = verdict', 'injections', 'tp', 'fp', 'fn', 'precision', 'recall'],
    [
      row('detected', e.detected),
      row('injection', e.injection),
      row('injection (user input)', e.perSource.user),
      row('injection (tool results)', e.perSource.tool),
      row('suspicious or injection', e.flagged),
    ],
    ['precision', 'recall'],
  );
}

/**
 * Rates per slice (category or language): the share of attacks detected (verdict
 * `injection`, or `suspicious` for a tool result), and the shares of benign texts at
 * `injection` (false alarms) and at `suspicious`. A slice with no attacks or no benign
 * texts shows `-` for that rate.
 */
export function injectionRatesTable(title: string, slices: Record<string, InjectionRates>): string {
  const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)} %`);
  const total = Object.values(slices).reduce((t, s) => ({ attacks: t.attacks + s.attacks, detected: t.detected + s.detected, benign: t.benign + s.benign, falseAlarms: t.falseAlarms + s.falseAlarms, suspicious: t.suspicious + s.suspicious }), {
    attacks: 0,
    detected: 0,
    benign: 0,
    falseAlarms: 0,
    suspicious: 0,
  });
  const row = (name: string, s: InjectionRates): string[] => [name, String(s.attacks), pct(s.detected, s.attacks), String(s.benign), pct(s.falseAlarms, s.benign), pct(s.suspicious, s.benign)];
  const names = Object.keys(slices).sort((a, b) => a.localeCompare(b));
  const rows = [...names.map((n) => row(n, slices[n])), row('all', total)];
  const header = [title, 'attacks', 'detected', 'benign', 'injection', 'suspicious'];
  // Numbers and rates read best right-aligned: pad them here, formatTable pads text on the right.
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return formatTable(header, rows.map((r) => r.map((c, i) => (i === 0 ? c : c.padStart(widths[i])))));
}
