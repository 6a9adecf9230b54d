import { buildReport, distribution, formatMarkdown, formatReport, percentile, type RunRecord, type SimulationParams } from './report';

const params: SimulationParams = {
  workflow: 'fraud-hold',
  planSteps: 2,
  runs: 5,
  concurrency: 2,
  faultRate: 0.1,
  faults: [429, 500, 'timeout', 'malformed'],
  latencyMs: { min: 20, max: 200 },
  seed: '7',
  taskTimeoutSeconds: 60,
};

const runs: RunRecord[] = [
  { taskId: 't1', outcome: 'completed', attempts: 1, costMicros: 1200, latencyMs: 900.4 },
  { taskId: 't2', outcome: 'completed', attempts: 2, costMicros: 2500, latencyMs: 1500 },
  { taskId: 't3', outcome: 'escalated', stopReason: 'attempts_exhausted', attempts: 3, costMicros: 4000, latencyMs: 3000 },
  { taskId: 't4', outcome: 'failed', stopReason: 'step_failed', attempts: 1, costMicros: 300, latencyMs: 700 },
  { taskId: 't5', outcome: 'timed_out', costMicros: 100 },
];

describe('percentile', () => {
  const sorted = Array.from({ length: 20 }, (_, i) => i + 1);

  it('takes the nearest rank, never interpolating', () => {
    expect(percentile(sorted, 50)).toBe(10);
    expect(percentile(sorted, 90)).toBe(18);
    expect(percentile(sorted, 99)).toBe(20);
    expect(percentile([5, 10], 50)).toBe(5);
    expect(percentile([5, 10], 51)).toBe(10);
  });

  it('clamps to the ends and has nothing to say about no values', () => {
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, 100)).toBe(20);
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('distribution', () => {
  it('sorts a copy and reports the extremes and percentiles', () => {
    const values = [30, 10, 20];
    expect(distribution(values)).toEqual({ count: 3, min: 10, p50: 20, p90: 30, p99: 30, max: 30 });
    expect(values).toEqual([30, 10, 20]);
    expect(distribution([])).toEqual({ count: 0, min: null, p50: null, p90: null, p99: null, max: null });
  });
});

describe('buildReport', () => {
  const report = buildReport(params, runs, 4321.7, { requests: 40, injected: { '429': 3, timeout: 1 } });

  it('counts every outcome with its share, leaving client errors out when there are none', () => {
    expect(report.outcomes).toEqual([
      { outcome: 'completed', count: 2, percent: 40 },
      { outcome: 'failed', count: 1, percent: 20 },
      { outcome: 'escalated', count: 1, percent: 20 },
      { outcome: 'rejected', count: 0, percent: 0 },
      { outcome: 'timed_out', count: 1, percent: 20 },
    ]);
  });

  it('lists stop reasons by frequency, then by name', () => {
    const more = [...runs, { outcome: 'failed', stopReason: 'step_failed', attempts: 1, costMicros: 0, latencyMs: 1 } as RunRecord];
    expect(buildReport(params, more, 0).stopReasons).toEqual([
      { reason: 'step_failed', count: 2 },
      { reason: 'attempts_exhausted', count: 1 },
    ]);
  });

  it('takes attempts and latency from settled runs only, cost from every run the gateway took', () => {
    expect(report.attempts).toEqual({ count: 4, min: 1, p50: 1, p90: 3, p99: 3, max: 3 });
    expect(report.latencyMs).toEqual({ count: 4, min: 700, p50: 900, p90: 3000, p99: 3000, max: 3000 });
    expect(report.costUsd).toEqual({ count: 5, min: 0.0001, p50: 0.0012, p90: 0.004, p99: 0.004, max: 0.004, total: 0.0081 });
    expect(report.durationMs).toBe(4322);
  });

  it('keeps a few distinct client error messages', () => {
    const errors: RunRecord[] = Array.from({ length: 8 }, (_, i) => ({ outcome: 'client_error', detail: `gateway failed (${i % 6})` }));
    const r = buildReport(params, errors, 0);
    expect(r.outcomes.at(-1)).toEqual({ outcome: 'client_error', count: 8, percent: 100 });
    expect(r.clientErrors).toHaveLength(5);
    expect(r.attempts.count).toBe(0);
    expect(r.costUsd.total).toBe(0);
  });

  it('survives no runs at all', () => {
    const r = buildReport({ ...params, runs: 0 }, [], 0);
    expect(r.outcomes.every((o) => o.percent === 0)).toBe(true);
    expect(formatReport(r)).toContain('(none)');
  });
});

describe('formatReport', () => {
  it('prints the settings, outcomes, stop reasons and a per-run table', () => {
    const text = formatReport(buildReport(params, runs, 4321, { requests: 40, injected: { '429': 3, timeout: 1 } }));
    expect(text).toContain('Simulation: 5 runs of fraud-hold (2 plan steps), 2 at a time, in 4.3 s');
    expect(text).toContain('chaos      fault rate 0.1 (429, 500, timeout, malformed), latency 20-200 ms, seed 7');
    expect(text).toContain('injected   4 faults in 40 model calls (429 ×3, timeout ×1)');
    expect(text).toMatch(/^ {2}completed +2 +40\.0%$/m);
    expect(text).toMatch(/^ {2}attempts_exhausted +1$/m);
    expect(text).toMatch(/^Per run\n +min +p50 +p90 +p99 +max +total$/m);
    expect(text).toMatch(/^ {2}cost +\$0\.000100 +\$0\.001200 +\$0\.004000 +\$0\.004000 +\$0\.004000 +\$0\.008100$/m);
    expect(text).toMatch(/^ {2}latency ms +700 +900 +3000 +3000 +3000$/m);
  });
});

describe('formatMarkdown', () => {
  it('renders the same numbers as Markdown tables', () => {
    const md = formatMarkdown(buildReport(params, runs, 4321));
    expect(md).toMatch(/^# Simulation of `fraud-hold`$/m);
    expect(md).toContain('| completed | 2 | 40.0% |');
    expect(md).toContain('| `step_failed` | 1 |');
    expect(md).toContain('| per run | min | p50 | p90 | p99 | max | total |');
    expect(md).toContain('| attempts | 1 | 1 | 3 | 3 | 3 |  |');
    expect(md).not.toContain('Injected by the simulator');
  });
});
