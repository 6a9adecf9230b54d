import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runProgram } from './testing/run-program';

const TASK = '0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b';

interface Seen {
  method: string;
  url: string;
  apiKey: string | undefined;
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A stand-in for the gateway: answers with `status` and `body`, records what it was sent. */
async function gateway(status: number, body: unknown): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res: ServerResponse) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const key = req.headers['x-api-key'];
      seen.push({ method: req.method ?? '', url: req.url ?? '', apiKey: typeof key === 'string' ? key : undefined, body: text });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function run(argv: string[], gatewayUrl: string) {
  return runProgram(argv, { env: { BATON_GATEWAY_URL: gatewayUrl } });
}

const summary = {
  taskId: TASK,
  escalationId: 'e-1',
  taskType: 'lead.qualify',
  question: 'Send this offer?',
  allowed: ['approve', 'reject'],
  createdAt: '2025-01-01T10:00:00.000Z',
  expiresAt: '2025-01-02T10:00:00.000Z',
};

describe('baton escalations', () => {
  it('lists the open escalations with the limit and the API key', async () => {
    const g = await gateway(200, { escalations: [summary] });
    const r = await run(['escalations', '--limit', '10', '--api-key', 'k-1'], g.url);
    expect(r.code).toBe(0);
    expect(g.seen).toEqual([{ method: 'GET', url: '/v1/escalations?limit=10', apiKey: 'k-1', body: '' }]);
    expect(r.out).toContain('Send this offer?');
  });

  it('refuses a bad --limit', async () => {
    const r = await run(['escalations', '--limit', '0'], 'http://127.0.0.1:9');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/integer from 1 to 200/);
  });
});

describe('baton escalation', () => {
  it('reads the task escalation', async () => {
    const g = await gateway(200, {
      ...summary,
      status: 'open',
      reason: { kind: 'policy', code: 'approval_required', message: 'the step needs approval' },
      bundle: { question: 'Send this offer?', history: [], stepOutputs: {}, pendingOutput: 'Dear Dana', spentMicros: 0, stepsRun: 1 },
      onTimeout: 'approve',
    });
    const r = await run(['escalation', TASK], g.url);
    expect(r.code).toBe(0);
    expect(g.seen[0]!.url).toBe(`/v1/escalations/${TASK}`);
    expect(r.out).toContain('Pending output:\n  Dear Dana');
    expect(r.out).toContain('(then: approve)');
  });
});

describe('baton decide', () => {
  it('posts the decision and prints the answer', async () => {
    const decision = { action: 'answer', answer: 'plan-b', decidedBy: 'key:acme-dana', decidedAt: '2025-01-01T11:00:00.000Z' };
    const g = await gateway(202, { status: 'accepted', duplicate: false, taskId: TASK, escalationId: 'e-1', decision });
    const r = await run(['decide', TASK, 'answer', '--answer', 'plan-b', '--comment', 'cheaper'], g.url);
    expect(r.code).toBe(0);
    expect(g.seen[0]).toMatchObject({ method: 'POST', url: `/v1/escalations/${TASK}/decision` });
    expect(JSON.parse(g.seen[0]!.body)).toEqual({ action: 'answer', answer: 'plan-b', comment: 'cheaper' });
    expect(r.out).toMatch(/recorded: answer "plan-b" by key:acme-dana/);
  });

  it('explains a conflict and exits 1', async () => {
    const g = await gateway(409, { error: 'conflict', message: 'escalation e-1 was already decided differently (approve by dana at x)' });
    const r = await run(['decide', TASK, 'reject'], g.url);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `baton: gateway rejected POST /v1/escalations/${TASK}/decision (409): escalation e-1 was already decided differently (approve by dana at x)`,
    );
  });

  it('refuses an unknown action without calling the gateway', async () => {
    const r = await run(['decide', TASK, 'maybe'], 'http://127.0.0.1:9');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/'maybe' is invalid for argument 'action'\. Allowed choices are approve, reject, edit, answer/);
  });
});
