import { DEFAULT_OPTIONS, runChaos, type ChaosReport } from '@baton/chaos';

// Crash safety, measured: the short chaos run (issue 13). About 200 tasks of every kind go
// through the gateway while services are SIGKILLed and restarted (agent replicas included),
// the broker and Redis restart, and Redis answers LOADING or drops connections for a second
// or two. Then each invariant must be zero. The run brings up its own Kafka, Redis and stack
// on their own ports (19092, 16399, 18080): the shared infrastructure is never touched.
// The full report is in bench-results/chaos-latest.md.

jest.setTimeout(15 * 60_000);

let report: ChaosReport;

beforeAll(async () => {
  report = await runChaos(
    {
      ...DEFAULT_OPTIONS,
      tasks: 200,
      // 2 cores shared: 200 tasks over ~2.5 minutes, then up to 3 minutes to settle.
      rate: 1.3,
      kills: 10,
      brokerRestarts: 1,
      redisRestarts: 1,
      redisFaults: 4,
      settleSeconds: 180,
      seed: 13,
      progress: false,
    },
    () => undefined,
  );
}, 14 * 60_000);

const show = (items: unknown[]) => JSON.stringify(items.slice(0, 15));

describe('the short chaos run', () => {
  it('injected the faults it planned', () => {
    const kinds = report.faults.map((f) => f.kind);
    expect(kinds.filter((k) => k === 'kill')).toHaveLength(10);
    expect(kinds).toContain('broker');
    expect(kinds).toContain('redis');
    expect(report.submissions.accepted).toBeGreaterThan(0);
  });

  it('loses no task: every accepted task is terminal after the settle window', () => {
    expect({ lost: report.counts.lost, tasks: show(report.verdict.invariants.lost) }).toEqual({ lost: 0, tasks: '[]' });
  });

  it('hangs no task: none ends by its deadline when no step failed', () => {
    expect({ hung: report.counts.hung, tasks: show(report.verdict.invariants.hung) }).toEqual({ hung: 0, tasks: '[]' });
  });

  it('ends each task once: no conflicting or duplicated terminal events', () => {
    expect({ duplicates: report.counts.duplicateTerminal, tasks: show(report.verdict.invariants.duplicateTerminal) }).toEqual({ duplicates: 0, tasks: '[]' });
  });

  it('runs each side effect once per idempotency key', () => {
    expect({ duplicateEffects: report.counts.duplicateEffects, keys: show(report.verdict.invariants.duplicateEffects) }).toEqual({ duplicateEffects: 0, keys: '[]' });
  });

  it('charges every model call the simulator served', () => {
    expect({ uncharged: report.counts.uncharged, tasks: show(report.verdict.invariants.uncharged) }).toEqual({ uncharged: 0, tasks: '[]' });
  });

  it('charges no model call twice', () => {
    expect({ doubleCharged: report.counts.doubleCharged, tasks: show(report.verdict.invariants.doubleCharged) }).toEqual({ doubleCharged: 0, tasks: '[]' });
  });

  it('leaves no budget reserved once tasks have ended', () => {
    expect({ reservationsHeld: report.counts.reservationsHeld, tasks: show(report.verdict.invariants.reservationsHeld) }).toEqual({ reservationsHeld: 0, tasks: '[]' });
  });

  it('dead-letters no healthy event', () => {
    expect({ healthyDeadLetters: report.counts.healthyDeadLetters, letters: show(report.verdict.invariants.healthyDeadLetters) }).toEqual({ healthyDeadLetters: 0, letters: '[]' });
  });
});
