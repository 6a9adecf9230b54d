import { PassThrough } from 'node:stream';
import { WorkflowRegistry, type WorkflowDefinition } from '@baton/workflows';
import { ExitCode } from '../format';
import { simulateCommand, type LocalStack, type SimulateDeps } from './simulate-command';
import type { SimulateOptions } from './simulate-options';

const fraudHold: WorkflowDefinition = {
  name: 'fraud-hold',
  description: 'Assess a fraud signal.',
  taskTypes: ['fraud.signal'],
  plan: {
    resultStep: 'decide',
    steps: [
      { id: 'assess', role: 'risk', instruction: 'Assess.' },
      { id: 'decide', role: 'risk', instruction: 'Decide.', dependsOn: ['assess'] },
    ],
  },
  sample: { taskType: 'fraud.signal', input: { text: 'Transaction 8841' } },
} as WorkflowDefinition;
const noSample = { ...fraudHold, name: 'bare', sample: undefined } as WorkflowDefinition;

const opts: SimulateOptions = {
  runs: 4,
  concurrency: 2,
  faultRate: 0.2,
  faults: [429, 'timeout'],
  latency: { min: 20, max: 200 },
  seed: '11',
  basePort: 21080,
  taskTimeout: 60,
};

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A gateway and simulator behind one fake fetch: task n ends as `endings[n - 1]`. */
function fakeNetwork(endings: Array<{ status: string; code?: string; costMicros?: number }>, chaosStatus = 200) {
  const chaosBodies: unknown[] = [];
  const submitted: unknown[] = [];
  const fetchImpl = (async (input: string | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    if (url.pathname === '/_sim/chaos' && method === 'PUT') {
      chaosBodies.push(JSON.parse(String(init?.body)));
      return chaosStatus === 200 ? json(200, {}) : json(chaosStatus, { error: { message: 'faults.0: Invalid input' } });
    }
    if (url.pathname === '/_sim/chaos') return json(200, { stats: { requests: 30, injected: { '429': 4, timeout: 1 } } });
    if (url.pathname === '/v1/tasks' && method === 'POST') {
      submitted.push(JSON.parse(String(init?.body)));
      return json(202, { taskId: `t${submitted.length}`, status: 'submitted', traceId: null });
    }
    const id = url.pathname.split('/').at(-1) as string;
    const end = endings[Number(id.slice(1)) - 1];
    return json(200, {
      taskId: id,
      tenantId: 'simulate',
      taskType: 'fraud.signal',
      status: end.status,
      ...(end.code ? { error: { kind: 'model', code: end.code, message: 'm' } } : {}),
      costMicros: end.costMicros ?? 1000,
      attempts: 1,
      traceId: null,
      createdAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-01-01T00:00:00Z',
    });
  }) as typeof fetch;
  return { fetchImpl, chaosBodies, submitted };
}

function setup(network: ReturnType<typeof fakeNetwork>, extra: Partial<SimulateDeps> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const files = new Map<string, string>();
  const events: string[] = [];
  const stack: LocalStack = {
    gatewayUrl: 'http://127.0.0.1:21080',
    simulatorUrl: 'http://127.0.0.1:21090/v1',
    logDir: '/logs',
    stop: async () => {
      events.push('stack stopped');
    },
  };
  const startStack = jest.fn(async () => {
    events.push('stack started');
    return stack;
  });
  const deps: SimulateDeps = {
    io: { out: (s) => out.push(s), err: (s) => err.push(s) },
    progressStream: new PassThrough(),
    loadWorkflows: () => WorkflowRegistry.of([fraudHold, noSample]),
    startStack,
    busyPorts: async () => [],
    resetBreakers: async () => {
      events.push('breakers reset');
    },
    fetchImpl: network.fetchImpl,
    writeFile: (file, text) => files.set(file, text),
    sleep: async () => undefined,
    ...extra,
  };
  return { deps, out, err, files, events, startStack };
}

describe('simulateCommand', () => {
  it('runs the sample on its own stack with the chaos asked for, then reports and cleans up', async () => {
    const net = fakeNetwork([{ status: 'completed' }, { status: 'escalated', code: 'attempts_exhausted' }, { status: 'completed' }, { status: 'failed', code: 'step_failed' }]);
    const t = setup(net);
    expect(await simulateCommand('fraud-hold', { ...opts, out: 'sim.md' }, t.deps)).toBe(ExitCode.ok);

    expect(t.startStack).toHaveBeenCalledWith(
      expect.objectContaining({ basePort: 21080, modelsOnSimulator: true, env: expect.objectContaining({ GATEWAY_API_KEYS: expect.stringMatching(/^simulate:sim-/) }) }),
    );
    expect(net.chaosBodies).toEqual([{ faultRate: 0.2, faults: [429, 'timeout'], latencyMs: { min: 20, max: 200 }, seed: '11' }]);
    expect(net.submitted).toHaveLength(4);
    expect(net.submitted[0]).toEqual({ taskType: 'fraud.signal', workflow: 'fraud-hold', input: { text: 'Transaction 8841' } });
    expect(t.events).toEqual(['breakers reset', 'stack started', 'stack stopped', 'breakers reset']);

    const text = t.out.join('\n');
    expect(text).toContain('Simulation: 4 runs of fraud-hold (2 plan steps), 2 at a time');
    expect(text).toContain('injected   5 faults in 30 model calls (429 ×4, timeout ×1)');
    expect(text).toMatch(/completed +2 +50\.0%/);
    expect(text).toMatch(/attempts_exhausted +1/);
    expect(t.files.get('sim.md')).toMatch(/^# Simulation of `fraud-hold`/);
  });

  it('prints JSON with --json', async () => {
    const t = setup(fakeNetwork([{ status: 'completed', costMicros: 2500 }]));
    await simulateCommand('fraud-hold', { ...opts, runs: 1, json: true }, t.deps);
    const report = JSON.parse(t.out.join('\n')) as { outcomes: Array<{ outcome: string; count: number }>; costUsd: { total: number } };
    expect(report.outcomes[0]).toEqual({ outcome: 'completed', count: 1, percent: 100 });
    expect(report.costUsd.total).toBe(0.0025);
  });

  it('picks a seed when none is given and reports it', async () => {
    const net = fakeNetwork([{ status: 'completed' }]);
    const t = setup(net, { randomSeed: () => '777' });
    await simulateCommand('fraud-hold', { ...opts, runs: 1, seed: undefined }, t.deps);
    expect(net.chaosBodies).toEqual([expect.objectContaining({ seed: '777' })]);
    expect(t.out.join('\n')).toContain('seed 777');
  });

  it.each([
    ['an unknown workflow', 'nope', /no workflow named nope \(known: fraud-hold, bare\)/],
    ['a workflow without a sample', 'bare', /workflow bare has no sample task: add a `sample:` block/],
  ])('refuses %s before starting anything', async (_name, workflow, message) => {
    const t = setup(fakeNetwork([]));
    expect(await simulateCommand(workflow, opts, t.deps)).toBe(ExitCode.error);
    expect(t.err.join('\n')).toMatch(message);
    expect(t.startStack).not.toHaveBeenCalled();
  });

  it('refuses ports already in use', async () => {
    const t = setup(fakeNetwork([]), { busyPorts: async (ports) => ports.slice(0, 2) });
    expect(await simulateCommand('fraud-hold', opts, t.deps)).toBe(ExitCode.error);
    expect(t.err.join('\n')).toMatch(/ports 21090, 21080 already in use: pass another --base-port/);
    expect(t.startStack).not.toHaveBeenCalled();
  });

  it('says so when Redis or the stack cannot be reached', async () => {
    const noRedis = setup(fakeNetwork([]), { resetBreakers: async () => Promise.reject(new Error('ECONNREFUSED')) });
    expect(await simulateCommand('fraud-hold', opts, noRedis.deps)).toBe(ExitCode.error);
    expect(noRedis.err.join('\n')).toMatch(/cannot reach Redis to close the model breakers .*ECONNREFUSED/);
    expect(noRedis.startStack).not.toHaveBeenCalled();

    const noStack = setup(fakeNetwork([]), { startStack: async () => Promise.reject(new Error('router exited (code 1)')) });
    expect(await simulateCommand('fraud-hold', opts, noStack.deps)).toBe(ExitCode.error);
    expect(noStack.err.join('\n')).toMatch(/the local stack did not start \(logs in .*\): router exited \(code 1\)/);
  });

  it('stops the stack when the simulator refuses the chaos', async () => {
    const t = setup(fakeNetwork([], 400));
    expect(await simulateCommand('fraud-hold', opts, t.deps)).toBe(ExitCode.error);
    expect(t.err.join('\n')).toMatch(/the simulator refused the chaos settings \(400\): faults\.0: Invalid input/);
    expect(t.events).toEqual(['breakers reset', 'stack started', 'stack stopped', 'breakers reset']);
  });

  it('reports the runs that ended when interrupted', async () => {
    const controller = new AbortController();
    const net = fakeNetwork(Array.from({ length: 4 }, () => ({ status: 'completed' })));
    const t = setup(net, { signal: controller.signal });
    const original = net.fetchImpl;
    t.deps.fetchImpl = (async (input: string | URL, init?: RequestInit) => {
      if (net.submitted.length === 2) controller.abort();
      return original(input, init);
    }) as typeof fetch;
    expect(await simulateCommand('fraud-hold', { ...opts, concurrency: 1 }, t.deps)).toBe(ExitCode.error);
    expect(t.err.join('\n')).toMatch(/interrupted after 2 of 4 runs/);
    expect(t.out.join('\n')).toContain('Simulation: 2 runs of fraud-hold');
    expect(t.events.at(-2)).toBe('stack stopped');
  });
});
