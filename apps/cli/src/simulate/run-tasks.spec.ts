import type { TaskView } from '../task-view';
import { refreshCosts, runSimulation, type SimulationTaskBody, type TaskApi } from './run-tasks';

const body: SimulationTaskBody = { taskType: 'fraud.signal', workflow: 'fraud-hold', input: { text: 'Transaction 8841' } };

const view = (taskId: string, status: TaskView['status'], extra: Partial<TaskView> = {}): TaskView => ({
  taskId,
  tenantId: 'simulate',
  taskType: 'fraud.signal',
  status,
  costMicros: 0,
  attempts: 1,
  traceId: null,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
  ...extra,
});

/** A gateway whose n-th task answers the n-th script, one view per read (the last one repeats). */
function fakeApi(scripts: Array<Array<TaskView['status'] | Partial<TaskView> | Error>>) {
  let submitted = 0;
  const reads = new Map<string, number>();
  const submits: SimulationTaskBody[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const api: TaskApi = {
    async submit(b) {
      submits.push(b);
      const script = scripts[submitted++];
      if (script[0] instanceof Error) throw script[0];
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return { taskId: `t${submitted}` };
    },
    async get(taskId) {
      const script = scripts[Number(taskId.slice(1)) - 1];
      const i = reads.get(taskId) ?? 0;
      reads.set(taskId, i + 1);
      const step = script[Math.min(i, script.length - 1)];
      if (step instanceof Error) throw step;
      const v = typeof step === 'string' ? view(taskId, step) : view(taskId, 'running', step);
      if (v.status !== 'running' && i === script.length - 1) inFlight--;
      return v;
    },
  };
  return { api, submits, maxInFlight: () => maxInFlight };
}

/** A clock that only moves when someone sleeps. */
function virtualTime() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
      await Promise.resolve();
    },
  };
}

describe('runSimulation', () => {
  it('follows every task to its settled status and records what the report needs', async () => {
    const { api, submits } = fakeApi([
      ['running', 'running', { status: 'completed', costMicros: 1500, attempts: 1 }],
      ['running', { status: 'escalated', attempts: 3, error: { kind: 'model', code: 'attempts_exhausted', message: 'm' } }],
      [{ status: 'failed', error: { kind: 'system', code: 'step_failed', message: 'm' } }],
      [{ status: 'rejected', attempts: 0, error: { kind: 'policy', code: 'input_blocked', message: 'm' } }],
    ]);
    const clock = virtualTime();
    const ended: number[] = [];
    const runs = await runSimulation(body, { runs: 4, concurrency: 1, taskTimeoutMs: 60_000 }, {
      api,
      ...clock,
      onRunEnded: (_r, n) => ended.push(n),
    });
    expect(submits).toEqual([body, body, body, body]);
    expect(runs).toEqual([
      { taskId: 't1', outcome: 'completed', attempts: 1, costMicros: 1500, latencyMs: 200 },
      { taskId: 't2', outcome: 'escalated', stopReason: 'attempts_exhausted', attempts: 3, costMicros: 0, latencyMs: 100 },
      { taskId: 't3', outcome: 'failed', stopReason: 'step_failed', attempts: 1, costMicros: 0, latencyMs: 0 },
      { taskId: 't4', outcome: 'rejected', stopReason: 'input_blocked', attempts: 0, costMicros: 0, latencyMs: 0 },
    ]);
    expect(ended).toEqual([1, 2, 3, 4]);
  });

  it('counts a task that does not settle in time as timed_out, with what it spent so far', async () => {
    const { api } = fakeApi([[{ status: 'running', costMicros: 40, attempts: 2 }]]);
    const runs = await runSimulation(body, { runs: 1, concurrency: 1, taskTimeoutMs: 1000, pollMs: 300 }, { api, ...virtualTime() });
    expect(runs).toEqual([{ taskId: 't1', outcome: 'timed_out', attempts: 2, costMicros: 40 }]);
  });

  it('rides out a failed read, but reports a gateway that never answers as a client error', async () => {
    const blip = fakeApi([['running', new Error('blip'), 'completed']]);
    const ok = await runSimulation(body, { runs: 1, concurrency: 1, taskTimeoutMs: 5000 }, { api: blip.api, ...virtualTime() });
    expect(ok[0].outcome).toBe('completed');

    const down = fakeApi([['running', new Error('gateway not reachable')]]);
    const lost = await runSimulation(body, { runs: 1, concurrency: 1, taskTimeoutMs: 500 }, { api: down.api, ...virtualTime() });
    expect(lost).toEqual([{ taskId: 't1', outcome: 'client_error', detail: 'status: gateway not reachable' }]);
  });

  it('records a refused submission as a client error and goes on with the next run', async () => {
    const { api } = fakeApi([[new Error('gateway rejected POST /v1/tasks (400): bad')], ['completed']]);
    const runs = await runSimulation(body, { runs: 2, concurrency: 1, taskTimeoutMs: 1000 }, { api, ...virtualTime() });
    expect(runs.map((r) => r.outcome)).toEqual(['client_error', 'completed']);
    expect(runs[0].detail).toBe('submit: gateway rejected POST /v1/tasks (400): bad');
  });

  it('keeps at most `concurrency` tasks in flight', async () => {
    const { api, maxInFlight } = fakeApi(Array.from({ length: 10 }, () => ['running', 'running', 'completed'] as Array<TaskView['status']>));
    const runs = await runSimulation(body, { runs: 10, concurrency: 3, taskTimeoutMs: 60_000 }, { api, ...virtualTime() });
    expect(runs).toHaveLength(10);
    expect(maxInFlight()).toBe(3);
  });

  it('stops submitting once aborted, returning the runs ended so far', async () => {
    const controller = new AbortController();
    const { api, submits } = fakeApi(Array.from({ length: 5 }, () => ['completed'] as Array<TaskView['status']>));
    const runs = await runSimulation(body, { runs: 5, concurrency: 1, taskTimeoutMs: 1000 }, {
      api,
      ...virtualTime(),
      signal: controller.signal,
      onRunEnded: (_r, n) => n === 2 && controller.abort(),
    });
    expect(runs).toHaveLength(2);
    expect(submits).toHaveLength(2);
  });
});

describe('refreshCosts', () => {
  it('takes the cost recorded after the task settled, keeping the earlier one when a read fails', async () => {
    const records = [
      { taskId: 't1', outcome: 'completed' as const, costMicros: 100 },
      { taskId: 't2', outcome: 'completed' as const, costMicros: 70 },
      { outcome: 'client_error' as const },
    ];
    const get = jest.fn(async (id: string) => {
      if (id === 't2') throw new Error('down');
      return view(id, 'completed', { costMicros: 250 });
    });
    await refreshCosts(records, { get }, 2);
    expect(records.map((r) => r.costMicros)).toEqual([250, 70, undefined]);
    expect(get).toHaveBeenCalledTimes(2);
  });
});
