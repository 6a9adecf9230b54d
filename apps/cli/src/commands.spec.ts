import { buildSubmitBody, statusCommand, submitCommand, UsageError, type CommandDeps, type SubmitOptions } from './commands';
import { GatewayError } from './gateway-client';
import type { SubmitAnswer, TaskView } from './task-view';

const TASK = '0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b';
const view = (status: TaskView['status'], extra: Partial<TaskView> = {}): TaskView => ({
  taskId: TASK,
  tenantId: 'acme',
  taskType: 'lead.qualify',
  status,
  costMicros: 420,
  attempts: 1,
  traceId: 'trace-1',
  createdAt: '2025-01-01T10:00:00.000Z',
  updatedAt: '2025-01-01T10:00:01.000Z',
  ...extra,
});

function harness(statuses: TaskView[], files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let clock = 0;
  const submitted: Array<{ body: unknown; key?: string }> = [];
  const sleeps: number[] = [];
  const deps: CommandDeps = {
    io: { out: (s) => out.push(s), err: (s) => err.push(s) },
    client: {
      submit: async (body, key) => {
        submitted.push({ body, key });
        return { taskId: TASK, status: 'submitted', traceId: 'trace-1', duplicate: false } satisfies SubmitAnswer;
      },
      get: async () => {
        const next = statuses.length > 1 ? statuses.shift() : statuses[0];
        if (!next) throw new Error('no status scripted');
        return next;
      },
    },
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    readFile: (p) => {
      if (!(p in files)) throw new Error(`ENOENT: no such file, open '${p}'`);
      return files[p];
    },
  };
  return { deps, out, err, submitted, sleeps };
}

const opts = (extra: Partial<SubmitOptions> = {}): SubmitOptions => ({ type: 'lead.qualify', text: 'ACME wants 50 seats', wait: true, timeout: 60, ...extra });

describe('submitCommand', () => {
  it('submits, reports progress on stderr, prints the result and exits 0', async () => {
    const h = harness([view('admitted'), view('routed'), view('running'), view('completed', { result: { score: 80 } })]);
    expect(await submitCommand(opts({ idempotencyKey: 'k-1', instruction: 'score it' }), h.deps)).toBe(0);
    expect(h.submitted).toEqual([
      { body: { taskType: 'lead.qualify', instruction: 'score it', input: { text: 'ACME wants 50 seats' } }, key: 'k-1' },
    ]);
    expect(h.err[0]).toBe('Submitted task 0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b, status submitted, trace trace-1');
    expect(h.err.slice(1).map((l) => l.split(' ').at(-1))).toEqual(['admitted', 'routed', 'running', 'completed']);
    expect(h.out).toHaveLength(1);
    expect(h.out[0]).toContain('completed (lead.qualify)');
    expect(h.out[0]).toContain('"score": 80');
  });

  it('backs off between polls up to two seconds', async () => {
    const h = harness([...Array.from({ length: 8 }, () => view('running')), view('completed')]);
    await submitCommand(opts(), h.deps);
    expect(h.sleeps).toEqual([250, 375, 562.5, 843.75, 1265.625, 1898.4375, 2000, 2000]);
  });

  it.each(['rejected', 'failed', 'escalated'] as const)('exits 2 when the task is %s, showing the reason', async (status) => {
    const h = harness([view(status, { error: { kind: 'policy', code: 'blocked', message: 'not allowed' } })]);
    expect(await submitCommand(opts(), h.deps)).toBe(2);
    expect(h.out[0]).toContain('reason   policy/blocked: not allowed');
  });

  it('stops waiting at the timeout with exit 3 and says how to check later', async () => {
    const h = harness([view('running')]);
    expect(await submitCommand(opts({ timeout: 5 }), h.deps)).toBe(3);
    expect(h.sleeps.reduce((a, b) => a + b, 0)).toBe(5000);
    expect(h.err.at(-1)).toMatch(/still running after 5 s; check later with: baton status 0b6a/);
    expect(h.out).toEqual([]);
  });

  it('prints only JSON on stdout with --json', async () => {
    const h = harness([view('running'), view('completed', { result: 'done' })]);
    expect(await submitCommand(opts({ json: true }), h.deps)).toBe(0);
    expect(h.err).toEqual([]);
    expect(JSON.parse(h.out.join('\n'))).toMatchObject({ taskId: TASK, status: 'completed', result: 'done' });
  });

  it('returns at once with --no-wait', async () => {
    const h = harness([]);
    expect(await submitCommand(opts({ wait: false }), h.deps)).toBe(0);
    expect(h.out).toEqual(['Submitted task 0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b, status submitted, trace trace-1']);
    const j = harness([]);
    await submitCommand(opts({ wait: false, json: true }), j.deps);
    expect(JSON.parse(j.out[0])).toEqual({ taskId: TASK, status: 'submitted', traceId: 'trace-1', duplicate: false });
  });

  it('exits 1 with the message when the gateway fails', async () => {
    const h = harness([]);
    h.deps.client.submit = async () => {
      throw new GatewayError('gateway not reachable at http://127.0.0.1:1 (ECONNREFUSED) — is `npm start` running?');
    };
    expect(await submitCommand(opts(), h.deps)).toBe(1);
    expect(h.err).toEqual(['baton: gateway not reachable at http://127.0.0.1:1 (ECONNREFUSED) — is `npm start` running?']);
  });

  it('exits 1 on bad flags before calling the gateway', async () => {
    const h = harness([]);
    expect(await submitCommand(opts({ text: undefined, file: 'missing.txt' }), h.deps)).toBe(1);
    expect(h.err[0]).toMatch(/^baton: cannot read --file missing\.txt: ENOENT/);
    expect(h.submitted).toEqual([]);
  });
});

describe('buildSubmitBody', () => {
  const files = {
    'resume.txt': 'Ten years of Go.',
    'schema.json': '{"type":"object","required":["fit"]}',
    'list.json': '[1,2]',
    'broken.json': '{"type":',
    'blank.txt': '  \n',
  };
  const read = (p: string) => {
    if (!(p in files)) throw new Error(`ENOENT: ${p}`);
    return files[p as keyof typeof files];
  };

  it('reads the input and schema files', () => {
    expect(buildSubmitBody(opts({ text: undefined, file: 'resume.txt', schema: 'schema.json' }), read)).toEqual({
      taskType: 'lead.qualify',
      input: { text: 'Ten years of Go.' },
      outputSchema: { type: 'object', required: ['fit'] },
    });
  });

  it.each([
    ['neither --text nor --file', { text: undefined }, /exactly one of --text/],
    ['both --text and --file', { file: 'resume.txt' }, /exactly one of --text/],
    ['an empty text', { text: ' ' }, /--text is empty/],
    ['an empty file', { text: undefined, file: 'blank.txt' }, /--file blank\.txt is empty/],
    ['a schema that is not JSON', { schema: 'broken.json' }, /--schema broken\.json is not valid JSON/],
    ['a schema that is not an object', { schema: 'list.json' }, /must hold a JSON Schema object/],
    ['a missing schema file', { schema: 'nope.json' }, /cannot read --schema nope\.json/],
  ])('refuses %s', (_name, extra, message) => {
    expect(() => buildSubmitBody(opts(extra), read)).toThrow(UsageError);
    expect(() => buildSubmitBody(opts(extra), read)).toThrow(message);
  });
});

describe('statusCommand', () => {
  it('prints the task and exits by its status', async () => {
    const running = harness([view('running')]);
    expect(await statusCommand(TASK, {}, running.deps)).toBe(0);
    expect(running.out[0]).toContain(`Task ${TASK} running`);
    const failed = harness([view('failed', { error: { kind: 'system', code: 'unknown_role', message: 'no agent' } })]);
    expect(await statusCommand(TASK, { json: true }, failed.deps)).toBe(2);
    expect(JSON.parse(failed.out[0]).error.code).toBe('unknown_role');
  });
});
