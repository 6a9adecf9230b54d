import type { TaskRecord } from '@baton/state';
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
