import { formatDecisionAnswer, formatEscalation, formatEscalationTable } from './escalation-format';
import type { EscalationSummary, EscalationView } from './escalation-view';

const TASK = '0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b';

const summary: EscalationSummary = {
  taskId: TASK,
  escalationId: 'e-1',
  taskType: 'lead.qualify',
  question: 'The output failed the schema 3 times.\nApprove, edit or reject?',
  allowed: ['approve', 'reject'],
  createdAt: '2025-01-01T10:00:00.000Z',
  expiresAt: '2025-01-02T10:00:00.000Z',
};

const view: EscalationView = {
  ...summary,
  stopReason: 'attempts_exhausted',
  status: 'open',
  reason: { kind: 'model', code: 'attempts_exhausted', message: 'output failed the schema 3 times' },
  bundle: {
    stepId: 'qualify',
    role: 'sales',
    question: 'Approve, edit or reject?',
    history: [
      { attempt: 1, outcome: 'blocked', reason: 'missing score' },
      { attempt: 2, outcome: 'failed', reason: 'timeout' },
    ],
    stepOutputs: { research: { company: 'Initech' } },
    pendingOutput: { qualified: true },
    spentMicros: 1234,
    stepsRun: 2,
  },
  onTimeout: 'fail',
};

describe('formatEscalationTable', () => {
  it('lines up one row per escalation, the question on one line', () => {
    const text = formatEscalationTable([summary, { ...summary, taskId: 'short', taskType: 'x', question: 'q'.repeat(100) }]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^TASK\s+TYPE\s+ALLOWED\s+EXPIRES\s+QUESTION$/);
    expect(lines[1]).toMatch(/ {2}The output failed the schema 3 times\. Approve, edit or reje…$/);
    expect(lines[0]!.indexOf('TYPE')).toBe(lines[2]!.indexOf('x '));
    expect(lines[2]).toMatch(/q{59}…$/);
    expect(lines.at(-1)).toBe('2 open escalations; show one with: baton escalation <task>');
  });

  it('says when there is nothing to review', () => {
    expect(formatEscalationTable([])).toBe('No open escalations.');
  });
});

describe('formatEscalation', () => {
  it('shows what a reviewer needs and how to decide', () => {
    expect(formatEscalation(view)).toBe(
      [
        `Escalation e-1 of task ${TASK} (lead.qualify) is open`,
        '  reason   model/attempts_exhausted: output failed the schema 3 times',
        '  stop     attempts_exhausted',
        '  step     qualify (role sales)',
        '  allowed  approve, reject',
        '  expires  2025-01-02T10:00:00.000Z (then: reject)',
        '  spent    $0.001234 over 2 steps',
        'Question:',
        '  Approve, edit or reject?',
        'Attempts:',
        '  #1 blocked: missing score',
        '  #2 failed: timeout',
        'Pending output:',
        '  {',
        '    "qualified": true',
        '  }',
        'Step outputs:',
        '  research:',
        '    {',
        '      "company": "Initech"',
        '    }',
        `Decide with: baton decide ${TASK} <approve|reject>`,
      ].join('\n'),
    );
  });

  it('shows the choices, and the decision instead of how to decide once decided', () => {
    const text = formatEscalation({
      ...view,
      status: 'decided',
      bundle: { ...view.bundle, choices: ['plan-a', 'plan-b'] },
      decision: { action: 'answer', answer: 'plan-b', decidedBy: 'dana', comment: 'cheaper', decidedAt: '2025-01-01T11:00:00.000Z' },
    });
    expect(text).toContain('Choices: plan-a, plan-b');
    expect(text).toContain('Decision: answer "plan-b" by dana at 2025-01-01T11:00:00.000Z (cheaper)');
    expect(text).not.toContain('Decide with');
  });
});

describe('formatDecisionAnswer', () => {
  const decision = { action: 'approve' as const, decidedBy: 'api:acme', decidedAt: '2025-01-01T11:00:00.000Z' };
  it('tells a new decision from a repeat', () => {
    expect(formatDecisionAnswer({ status: 'accepted', duplicate: false, taskId: TASK, escalationId: 'e-1', decision })).toBe(
      `Decision on task ${TASK} recorded: approve by api:acme at 2025-01-01T11:00:00.000Z (escalation e-1); follow it with: baton status ${TASK}`,
    );
    expect(formatDecisionAnswer({ status: 'accepted', duplicate: true, taskId: TASK, escalationId: 'e-1', decision })).toMatch(
      /was already recorded; sent it again/,
    );
  });
});
