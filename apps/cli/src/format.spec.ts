import { ExitCode, exitCodeFor, formatAccepted, formatProgress, formatStillRunning, formatTask, formatUsd } from './format';
import type { TaskView } from './task-view';

const base: TaskView = {
  taskId: '0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b',
  tenantId: 'acme',
  taskType: 'lead.qualify',
  status: 'completed',
  result: { score: 82, tier: 'hot' },
  costMicros: 1234,
  attempts: 1,
  role: 'sales',
  model: 'sim-mini',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  createdAt: '2025-01-01T10:00:00.000Z',
  updatedAt: '2025-01-01T10:00:02.000Z',
};

describe('formatUsd', () => {
  it.each([
    [0, '$0.000000'],
    [1, '$0.000001'],
    [1234, '$0.001234'],
    [1_000_000, '$1.000000'],
    [12_345_678, '$12.345678'],
    [-5, '-$0.000005'],
  ])('formats %i micro-dollars as %s', (micros, text) => {
    expect(formatUsd(micros)).toBe(text);
  });
});

describe('exitCodeFor', () => {
  it('is 0 for completed and unfinished tasks and 2 for tasks that ended without a result', () => {
    expect(exitCodeFor('completed')).toBe(ExitCode.ok);
    expect(exitCodeFor('running')).toBe(ExitCode.ok);
    for (const s of ['rejected', 'failed', 'escalated'] as const) expect(exitCodeFor(s)).toBe(2);
  });
});

describe('formatTask', () => {
  it('shows a completed task with its cost, model, trace and pretty result', () => {
    expect(formatTask(base)).toBe(
      [
        'Task 0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b completed (lead.qualify)',
        '  attempts 1',
        '  cost     $0.001234',
        '  model    sim-mini (role sales)',
        '  trace    4bf92f3577b34da6a3ce929d0e0e4736',
        '  updated  2025-01-01T10:00:02.000Z',
        'Result:',
        '{',
        '  "score": 82,',
        '  "tier": "hot"',
        '}',
      ].join('\n'),
    );
  });

  it('prints a text result as it is', () => {
    expect(formatTask({ ...base, result: 'Call them on Monday.' })).toMatch(/Result:\nCall them on Monday\.$/);
  });

  it('leads with the reason for a rejected task and copes with missing trace and model', () => {
    const text = formatTask({
      ...base,
      status: 'rejected',
      result: undefined,
      error: { kind: 'policy', code: 'pii_detected', message: 'input contains a credit card number' },
      attempts: 0,
      costMicros: 0,
      model: undefined,
      role: undefined,
      traceId: null,
    });
    expect(text.split('\n').slice(0, 2)).toEqual([
      'Task 0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b rejected (lead.qualify)',
      '  reason   policy/pii_detected: input contains a credit card number',
    ]);
    expect(text).toContain('  trace    (none)');
    expect(text).not.toContain('model');
    expect(text).not.toContain('Result:');
  });

  it('says what an escalated task waits for and how to decide it', () => {
    const text = formatTask({
      ...base,
      status: 'escalated',
      result: undefined,
      escalation: { escalationId: 'e-1', question: 'Send this offer?', allowed: ['approve', 'reject'], expiresAt: '2025-01-02T10:00:00.000Z' },
    });
    expect(text.split('\n').slice(-3)).toEqual([
      'Waiting for a human:',
      '  Send this offer?',
      `  decide by 2025-01-02T10:00:00.000Z: baton escalation ${base.taskId}, then baton decide ${base.taskId} <approve|reject>`,
    ]);
  });
});

describe('one-line messages', () => {
  it('describes an accepted and a duplicate submission', () => {
    const answer = { taskId: 't-1', status: 'submitted' as const, traceId: 'abc' };
    expect(formatAccepted(answer)).toBe('Submitted task t-1, status submitted, trace abc');
    expect(formatAccepted({ ...answer, traceId: null, duplicate: true })).toMatch(/trace \(none\) \(same idempotency key/);
  });

  it('shows progress and how to check again later', () => {
    expect(formatProgress('t-1', 'routed', 1530)).toBe('    1.5 s  t-1 routed');
    expect(formatStillRunning('t-1', 'running', 30)).toBe(
      'Task t-1 is still running after 30 s; check later with: baton status t-1',
    );
  });
});
