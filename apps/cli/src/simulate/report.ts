// The simulation report: pure functions from run records to numbers, text, Markdown and JSON.
import { formatUsd } from '../format';

/** How one run ended. The first four are the task's own settled statuses. */
export const RUN_OUTCOMES = ['completed', 'failed', 'escalated', 'rejected', 'timed_out', 'client_error'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** One simulated task, as the runner saw it. */
export interface RunRecord {
  /** Task id, once the gateway accepted the task. */
  taskId?: string;
  outcome: RunOutcome;
  /** Why it did not complete: the task's `error.code`, for failed, escalated and rejected runs. */
  stopReason?: string;
  /** What went wrong between the CLI and the gateway, for a client error. */
  detail?: string;
  /** The task view's `attempts` (the view has no step count; see the README). */
  attempts?: number;
  /** Spend of the task, integer micro-dollars. */
  costMicros?: number;
  /** Submit to settled status, wall time in milliseconds; absent when it never settled. */
  latencyMs?: number;
}

/** Settings of a simulation, echoed in the report. */
export interface SimulationParams {
  workflow: string;
  /** Steps in the workflow's plan. */
  planSteps: number;
  runs: number;
  concurrency: number;
  faultRate: number;
  faults: Array<string | number>;
  latencyMs: { min: number; max: number };
  seed: string;
  /** Longest wait for one task, seconds. */
  taskTimeoutSeconds: number;
}

/** Nearest-rank distribution of some values; every field null when there are none. */
export interface Distribution {
  count: number;
  min: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

/** What the simulator says chaos did (GET /_sim/chaos `stats`). */
export interface InjectedFaults {
  /** Model calls chaos applied to. */
  requests: number;
  /** Faults injected, by kind. */
  injected: Record<string, number>;
}

/** Everything `baton simulate` reports; `--json` prints it as is. */
export interface SimulationReport {
  params: SimulationParams;
  /** Wall time of the whole run (stack start and stop excluded), ms. */
  durationMs: number;
  /** Every outcome with its count and share of the runs, in RUN_OUTCOMES order. */
  outcomes: Array<{ outcome: RunOutcome; count: number; percent: number }>;
  /** Stop reasons of the runs that did not complete, most frequent first. */
  stopReasons: Array<{ reason: string; count: number }>;
  /** Attempts per settled run. */
  attempts: Distribution;
  /** Cost per run that reached the gateway, dollars; `total` over all of them. */
  costUsd: Distribution & { total: number };
  /** Submit to settled, per settled run, ms. */
  latencyMs: Distribution;
  /** Faults the simulator injected, when it could be asked. */
  simulator?: InjectedFaults;
  /** Distinct messages of client errors, at most five. */
  clientErrors: string[];
}

/**
 * Nearest-rank percentile (the smallest value with at least p% of the values at or below
 * it) of values sorted ascending; null for no values. Always one of the values, never an
 * interpolation, so a p99 of 20 runs is honestly the slowest run.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** min, p50, p90, p99 and max of the values, in any order. */
export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: sorted[0] ?? null,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? null,
  };
}

const SETTLED: ReadonlySet<RunOutcome> = new Set<RunOutcome>(['completed', 'failed', 'escalated', 'rejected']);
const round = (n: number, digits: number) => Number(n.toFixed(digits));
const defined = <T>(xs: Array<T | undefined>): T[] => xs.filter((x): x is T => x !== undefined);

/** Builds the report from the runs. */
export function buildReport(params: SimulationParams, runs: readonly RunRecord[], durationMs: number, simulator?: InjectedFaults): SimulationReport {
  const total = runs.length;
  const outcomes = RUN_OUTCOMES.map((outcome) => {
    const count = runs.filter((r) => r.outcome === outcome).length;
    return { outcome, count, percent: total ? round((100 * count) / total, 1) : 0 };
  }).filter((o) => o.outcome !== 'client_error' || o.count > 0);

  const reasons = new Map<string, number>();
  for (const r of runs) if (r.outcome !== 'completed' && r.stopReason) reasons.set(r.stopReason, (reasons.get(r.stopReason) ?? 0) + 1);
  const stopReasons = [...reasons]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));

  const settled = runs.filter((r) => SETTLED.has(r.outcome));
  const costs = defined(runs.map((r) => r.costMicros));
  const cost = distribution(costs);
  const usd = (micros: number | null) => (micros === null ? null : micros / 1e6);
  return {
    params,
    durationMs: Math.round(durationMs),
    outcomes,
    stopReasons,
    attempts: distribution(defined(settled.map((r) => r.attempts))),
    costUsd: {
      count: cost.count,
      min: usd(cost.min),
      p50: usd(cost.p50),
      p90: usd(cost.p90),
      p99: usd(cost.p99),
      max: usd(cost.max),
      total: costs.reduce((a, b) => a + b, 0) / 1e6,
    },
    latencyMs: distribution(defined(settled.map((r) => r.latencyMs)).map((ms) => Math.round(ms))),
    ...(simulator ? { simulator } : {}),
    clientErrors: [...new Set(defined(runs.map((r) => r.detail)))].slice(0, 5),
  };
}

const dollars = (usd: number | null) => (usd === null ? '–' : formatUsd(Math.round(usd * 1e6)));
const plain = (n: number | null) => (n === null ? '–' : String(n));

/** The per-run rows shared by the text and Markdown forms: name, then min, p50, p90, p99, max, total. */
function perRunRows(r: SimulationReport): string[][] {
  const row = (name: string, d: Distribution, fmt: (n: number | null) => string, total = '') => [
    name,
    fmt(d.min),
    fmt(d.p50),
    fmt(d.p90),
    fmt(d.p99),
    fmt(d.max),
    total,
  ];
  return [
    row('attempts', r.attempts, plain),
    row('cost', r.costUsd, dollars, dollars(r.costUsd.total)),
    row('latency ms', r.latencyMs, plain),
  ];
}

const PER_RUN_HEADER = ['per run', 'min', 'p50', 'p90', 'p99', 'max', 'total'];

function chaosLine(p: SimulationParams): string {
  return `fault rate ${p.faultRate} (${p.faults.join(', ')}), latency ${p.latencyMs.min}-${p.latencyMs.max} ms, seed ${p.seed}`;
}

function injectedLine(s: InjectedFaults): string {
  const kinds = Object.entries(s.injected)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `${kind} ×${n}`);
  const count = Object.values(s.injected).reduce((a, b) => a + b, 0);
  return `${count} faults in ${s.requests} model calls${kinds.length ? ` (${kinds.join(', ')})` : ''}`;
}

function headline(r: SimulationReport): string {
  const p = r.params;
  return `${p.runs} runs of ${p.workflow} (${p.planSteps} plan steps), ${p.concurrency} at a time, in ${(r.durationMs / 1000).toFixed(1)} s`;
}

/** The report for a terminal. */
export function formatReport(r: SimulationReport): string {
  const lines = [`Simulation: ${headline(r)}`, `  chaos      ${chaosLine(r.params)}`];
  if (r.simulator) lines.push(`  injected   ${injectedLine(r.simulator)}`);
  lines.push('', 'Outcomes');
  for (const o of r.outcomes) lines.push(`  ${o.outcome.padEnd(13)}${String(o.count).padStart(5)}  ${o.percent.toFixed(1).padStart(5)}%`);
  lines.push('', 'Stop reasons');
  if (r.stopReasons.length === 0) lines.push('  (none)');
  for (const s of r.stopReasons) lines.push(`  ${s.reason.padEnd(26)}${String(s.count).padStart(5)}`);
  if (r.clientErrors.length) lines.push('', 'Client errors', ...r.clientErrors.map((e) => `  ${e}`));
  lines.push('', 'Per run');
  const rows = [['', ...PER_RUN_HEADER.slice(1)], ...perRunRows(r)];
  const widths = PER_RUN_HEADER.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) {
    lines.push(`  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')}`.trimEnd());
  }
  return lines.join('\n');
}

/** The report as a Markdown document (`--out`). */
export function formatMarkdown(r: SimulationReport): string {
  const table = (header: string[], rows: string[][]) =>
    [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
  const lines = [`# Simulation of \`${r.params.workflow}\``, '', `${headline(r)}.`, '', `- Chaos: ${chaosLine(r.params)}`];
  if (r.simulator) lines.push(`- Injected by the simulator: ${injectedLine(r.simulator)}`);
  lines.push(`- Longest wait for one task: ${r.params.taskTimeoutSeconds} s (unfinished runs count as \`timed_out\`)`);
  lines.push('', '## Outcomes', '', ...table(['outcome', 'runs', 'share'], r.outcomes.map((o) => [o.outcome, String(o.count), `${o.percent.toFixed(1)}%`])));
  lines.push('', '## Stop reasons', '');
  if (r.stopReasons.length === 0) lines.push('None: every run completed.');
  else lines.push(...table(['reason', 'runs'], r.stopReasons.map((s) => [`\`${s.reason}\``, String(s.count)])));
  if (r.clientErrors.length) lines.push('', '## Client errors', '', ...r.clientErrors.map((e) => `- ${e}`));
  lines.push('', '## Per run', '', ...table(PER_RUN_HEADER, perRunRows(r)));
  lines.push('', '`attempts` is the task view\'s attempt count; cost is what the cost accountant recorded for the task.', '');
  return lines.join('\n');
}
