import type { EscalationRecord, TaskRecord } from '@baton/state';
import { toTaskView } from './task-view';

const base: TaskRecord = {
  taskId: '0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b',
  tenantId: 'acme',
  taskType: 'lead.qualify',
  status: 'running',
  traceId: '0af7651916cd43dd8448eb211c80319c',
  attempts: 1,
  createdAt: '2025-03-01T12:00:00.000Z',
  updatedAt: '2025-03-01T12:00:02.000Z',
  history: [
    { status: 'submitted', at: '2025-03-01T12:00:00.000Z' },
    { status: 'running', at: '2025-03-01T12:00:02.000Z' },
  ],
};

describe('toTaskView', () => {
  it('shapes a complete record with its spend, leaving the history out', () => {
    const task: TaskRecord = {
      ...base,
      status: 'completed',
      result: { qualified: true },
      role: 'sales',
      model: 'sim-small',
      attempts: 2,
    };
    expect(toTaskView(task, 1500)).toEqual({
      taskId: task.taskId,
      tenantId: 'acme',
      taskType: 'lead.qualify',
      status: 'completed',
      result: { qualified: true },
      costMicros: 1500,
      attempts: 2,
      role: 'sales',
      model: 'sim-small',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      createdAt: '2025-03-01T12:00:00.000Z',
      updatedAt: '2025-03-01T12:00:02.000Z',
    });
  });

  it('includes the error of a failed task', () => {
    const error = { kind: 'policy' as const, code: 'attempts_exhausted', message: 'a human must decide' };
    expect(toTaskView({ ...base, status: 'escalated', error }, 0).error).toEqual(error);
    expect(toTaskView({ ...base, status: 'failed', error }, 0).error).toEqual(error);
  });

  it('drops the reason of an escalation a human resolved once the task runs or completed again', () => {
    const error = { kind: 'policy' as const, code: 'approval_required', message: 'a human must approve' };
    expect(toTaskView({ ...base, status: 'completed', error, result: 'ok' }, 0).error).toBeUndefined();
    expect(toTaskView({ ...base, status: 'running', error }, 0).error).toBeUndefined();
  });

  it('omits absent optional fields instead of sending them as undefined', () => {
    const view = toTaskView({ ...base, traceId: null }, 0);
    for (const key of ['result', 'error', 'role', 'model']) expect(key in view).toBe(false);
    expect(view.traceId).toBeNull();
    expect(view.costMicros).toBe(0);
  });

  it('keeps falsy results such as null, 0, false and an empty string', () => {
    for (const result of [null, 0, false, '']) {
      const view = toTaskView({ ...base, status: 'completed', result }, 10);
      expect('result' in view).toBe(true);
      expect(view.result).toBe(result);
    }
  });
});

describe('toTaskView for an escalated task', () => {
  const escalation: EscalationRecord = {
    escalationId: '9b2f7c1e-5a4d-5e3f-8a1b-2c3d4e5f6a7b',
    taskId: base.taskId,
    tenantId: 'acme',
    taskType: 'lead.qualify',
    stopReason: 'approval_required',
    reason: { kind: 'policy', code: 'approval_required', message: 'the step needs approval' },
    allowed: ['approve', 'reject'],
    bundle: { question: 'Send this offer?', history: [], stepOutputs: {}, spentMicros: 10, stepsRun: 1 },
    createdAt: '2025-03-01T12:00:02.000Z',
    expiresAt: '2025-03-02T12:00:02.000Z',
    onTimeout: 'fail',
    status: 'open',
  };

  it('says which escalation it waits for, what is asked and what may be decided', () => {
    expect(toTaskView({ ...base, status: 'escalated' }, 10, escalation).escalation).toEqual({
      escalationId: escalation.escalationId,
      question: 'Send this offer?',
      allowed: ['approve', 'reject'],
      expiresAt: '2025-03-02T12:00:02.000Z',
    });
  });

  it('leaves the escalation out once the task has moved on, or when there is none', () => {
    expect('escalation' in toTaskView({ ...base, status: 'running' }, 10, { ...escalation, status: 'resumed' })).toBe(false);
    expect('escalation' in toTaskView({ ...base, status: 'escalated' }, 10, null)).toBe(false);
    expect('escalation' in toTaskView({ ...base, status: 'escalated' }, 10)).toBe(false);
  });
});
