import type { EscalationRecord } from '@baton/state';
import { toEscalationSummary, toEscalationView } from './escalations-view';

const record: EscalationRecord = {
  escalationId: '9b2f7c1e-5a4d-5e3f-8a1b-2c3d4e5f6a7b',
  taskId: '0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b',
  tenantId: 'acme',
  taskType: 'debate.pick',
  reason: { kind: 'policy', code: 'debate_tie', message: 'the judges tied' },
  allowed: ['answer', 'reject'],
  bundle: { question: 'Which plan?', history: [], stepOutputs: { a: 1 }, choices: ['a', 'b'], spentMicros: 7, stepsRun: 3 },
  createdAt: '2025-03-01T12:00:00.000Z',
  expiresAt: '2025-03-02T12:00:00.000Z',
  onTimeout: 'fail',
  status: 'open',
};

describe('escalation views', () => {
  it('summarises an escalation for the list, without a stop reason it does not have', () => {
    expect(toEscalationSummary(record)).toEqual({
      taskId: record.taskId,
      escalationId: record.escalationId,
      taskType: 'debate.pick',
      question: 'Which plan?',
      allowed: ['answer', 'reject'],
      createdAt: record.createdAt,
      expiresAt: record.expiresAt,
    });
    expect(toEscalationSummary({ ...record, stopReason: 'debate_tie' }).stopReason).toBe('debate_tie');
  });

  it('shows the full escalation with its bundle and decision, but not the tenant', () => {
    const decision = { action: 'answer' as const, answer: 'b', decidedBy: 'dana', decidedAt: '2025-03-01T13:00:00.000Z' };
    const view = toEscalationView({ ...record, status: 'decided', decision });
    expect(view).toMatchObject({ status: 'decided', bundle: record.bundle, reason: record.reason, onTimeout: 'fail', decision });
    expect('tenantId' in view).toBe(false);
    expect('decision' in toEscalationView(record)).toBe(false);
  });
});
