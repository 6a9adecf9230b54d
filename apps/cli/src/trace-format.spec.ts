import { Command } from 'commander';
import { Attr, SpanEvent } from '@baton/telemetry';
import type { BackendSpan } from './trace-client';
import { buildTree, formatTrace } from './trace-format';
import { addTraceCommand, type TraceDeps } from './trace-program';

const T = 'a'.repeat(32);
const at = (ms: number) => new Date(Date.UTC(2026, 10, 24, 12, 0, 0, ms)).toISOString();

function span(id: string, parent: string | null, name: string, service: string, from: number, to: number, attributes: Record<string, unknown> = {}, extra: Partial<BackendSpan> = {}): BackendSpan {
  return {
    name,
    context: { trace_id: T, span_id: id },
    parent_id: parent,
    start_time: at(from),
    end_time: at(to),
    status_code: 'OK',
    status_message: '',
    attributes: { [Attr.serviceName]: `baton-${service}`, ...attributes },
    events: [],
    ...extra,
  };
}

const SPANS: BackendSpan[] = [
  span('0000000000000004', '0000000000000003', 'chat sim-mini', 'agent', 40, 90, {
    [Attr.genAiOperation]: 'chat',
    [Attr.genAiResponseModel]: 'sim-mini',
    [Attr.genAiInputTokens]: 120,
    [Attr.genAiOutputTokens]: 40,
    [Attr.costMicros]: 123,
  }),
  span('0000000000000001', null, 'POST /v1/tasks', 'gateway', 0, 12),
  span('0000000000000003', '0000000000000002', 'agent sales', 'agent', 30, 95, {}, {
    events: [{ name: SpanEvent.modelFallback, attributes: { [Attr.fallbackFrom]: 'sim-pro', [Attr.fallbackTo]: 'sim-mini', [Attr.fallbackReason]: 'breaker_open' } }],
  }),
  span('0000000000000002', '0000000000000001', 'process baton.steps', 'agent', 20, 96),
  span('0000000000000005', '0000000000000003', 'chat sim-pro', 'agent', 31, 35, { [Attr.genAiOperation]: 'chat', [Attr.genAiRequestModel]: 'sim-pro' }, { status_code: 'ERROR', status_message: 'server_error (500)' }),
  span('0000000000000006', '00000000000000ff', 'orphan', 'planner', 5, 6),
];

describe('trace tree', () => {
  it('nests spans under their parents, earliest first, keeping orphans as roots', () => {
    const roots = buildTree(SPANS);
    expect(roots.map((r) => r.span.name)).toEqual(['POST /v1/tasks', 'orphan']);
    const agent = roots[0].children[0].children[0];
    expect(agent.span.name).toBe('agent sales');
    expect(agent.children.map((c) => c.span.name)).toEqual(['chat sim-pro', 'chat sim-mini']);
  });

  it('prints service, operation, duration, cost, status and decisions per span', () => {
    const out = formatTrace(T, SPANS, 'task-1');
    const lines = out.split('\n');
    expect(lines[0]).toBe(`Trace ${T} of task task-1`);
    expect(lines[1]).toContain('6 spans, 3 services (agent, gateway, planner), 96.0 ms, model cost $0.000123, 1 with errors');
    const row = (name: string) => lines.find((l) => l.includes(name)) ?? '';
    expect(row('POST /v1/tasks')).toMatch(/^POST \/v1\/tasks\s+gateway\s+12\.0 ms/);
    expect(row('└─ process baton.steps')).toMatch(/agent\s+76\.0 ms/);
    expect(row('chat sim-mini')).toMatch(/agent\s+50\.0 ms\s+\$0\.000123\s+model sim-mini, tokens 120→40$/);
    expect(row('chat sim-pro')).toContain('ERROR server_error (500)');
    expect(row('agent sales')).toContain('fallback sim-pro→sim-mini (breaker_open)');
    // The tree: the two model calls hang under the agent span, the first with a sibling after it.
    expect(row('chat sim-pro')).toMatch(/^ {6}├─ chat sim-pro/);
    expect(row('chat sim-mini')).toMatch(/^ {6}└─ chat sim-mini/);
  });
});

describe('baton trace', () => {
  async function run(deps: Partial<TraceDeps>, args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    let code = -1;
    const program = new Command('baton').exitOverride();
    program.option('--gateway <url>').option('--api-key <key>');
    const full: TraceDeps = { traceIdOf: async () => T, spans: async () => SPANS, ...deps };
    addTraceCommand(program, { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, env: {}, exit: (c) => (code = c) }, () => full);
    await program.parseAsync(['node', 'baton', 'trace', ...args]);
    return { code, out, err };
  }

  it('looks the trace id up by task and prints the tree', async () => {
    const asked: string[] = [];
    const r = await run({ traceIdOf: async (id) => (asked.push(id), T) }, ['task-1', '--wait', '0']);
    expect(asked).toEqual(['task-1']);
    expect(r.code).toBe(0);
    expect(r.out[0]).toContain(`Trace ${T} of task task-1`);
  });

  it('says so when the task has no trace or the viewer has no spans', async () => {
    const none = await run({ traceIdOf: async () => null }, ['task-1', '--wait', '0']);
    expect(none.code).toBe(1);
    expect(none.err[0]).toContain('submitted outside any trace');
    const empty = await run({ spans: async () => [] }, ['task-1', '--wait', '0']);
    expect(empty.code).toBe(1);
    expect(empty.err[0]).toContain(`no spans of trace ${T} in project "baton"`);
  });
});
