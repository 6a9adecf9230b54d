import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayClient } from './gateway-client';
import { runProgram } from './testing/run-program';

const TASK = '0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A stand-in for the gateway: answers from a handler, records what it was sent. */
async function fakeGateway(handler: (req: Seen, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(entry);
      handler(entry, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const taskView = (status: string, extra: Record<string, unknown> = {}) => ({
  taskId: TASK,
  tenantId: 'acme',
  taskType: 'lead.qualify',
  status,
  costMicros: 1500,
  attempts: 1,
  traceId: 'trace-1',
  createdAt: '2025-01-01T10:00:00.000Z',
  updatedAt: '2025-01-01T10:00:01.000Z',
  ...extra,
});

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runProgram(argv, { env, deps: (conn) => ({ client: new GatewayClient(conn), sleep: async () => undefined }) });
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});
async function gateway(handler: (req: Seen, res: ServerResponse) => void) {
  const g = await fakeGateway(handler);
  servers.push(g.server);
  return g;
}

describe('baton submit', () => {
  it('posts the task with the default key, polls to completion and exits 0', async () => {
    let polls = 0;
    const g = await gateway((req, res) => {
      if (req.method === 'POST') return json(res, 202, { taskId: TASK, status: 'submitted', traceId: 'trace-1', duplicate: false });
      polls++;
      json(res, 200, polls < 3 ? taskView('running') : taskView('completed', { result: { score: 90 } }));
    });
    const r = await run(['submit', '--type', 'lead.qualify', '--text', 'ACME wants 50 seats', '--idempotency-key', 'k-7'], {
      BATON_GATEWAY_URL: g.url,
    });
    expect(r.code).toBe(0);
    expect(r.out).toContain('completed (lead.qualify)');
    expect(r.out).toContain('cost     $0.001500');
    const [post, ...gets] = g.seen;
    expect(post).toMatchObject({ method: 'POST', url: '/v1/tasks' });
    expect(post.headers['x-api-key']).toBe('dev-key-acme');
    expect(post.headers['idempotency-key']).toBe('k-7');
    expect(JSON.parse(post.body)).toEqual({ taskType: 'lead.qualify', input: { text: 'ACME wants 50 seats' } });
    expect(gets.map((s) => s.url)).toEqual([`/v1/tasks/${TASK}`, `/v1/tasks/${TASK}`, `/v1/tasks/${TASK}`]);
  });

  it('prefers --gateway and --api-key over the environment', async () => {
    const g = await gateway((_req, res) => json(res, 202, { taskId: TASK, status: 'submitted', traceId: null }));
    const r = await run(['submit', '--type', 't', '--text', 'x', '--no-wait', '--gateway', `${g.url}/`, '--api-key', 'k-flag'], {
      BATON_GATEWAY_URL: 'http://127.0.0.1:9',
      BATON_API_KEY: 'k-env',
    });
    expect(r.code).toBe(0);
    expect(g.seen[0].headers['x-api-key']).toBe('k-flag');
    expect(g.seen[0].headers['idempotency-key']).toBeUndefined();
    expect(r.out).toBe(`Submitted task ${TASK}, status submitted, trace (none)`);
  });

  it('explains an unreachable gateway and exits 1', async () => {
    const closed = await gateway(() => undefined);
    await new Promise((r) => closed.server.close(r));
    const r = await run(['submit', '--type', 't', '--text', 'x'], { BATON_GATEWAY_URL: closed.url });
    expect(r.code).toBe(1);
    expect(r.err).toBe(`baton: gateway not reachable at ${closed.url} (ECONNREFUSED) — is \`npm start\` running?`);
  });

  it.each([
    [401, { error: 'unauthorized', message: 'missing or unknown API key (send x-api-key)' }, /refused the API key \(401\): missing or unknown API key .* pass --api-key or set BATON_API_KEY/],
    [
      403,
      { error: 'forbidden', message: 'POST /v1/tasks needs the submitter role; this key has viewer', requiredRoles: ['submitter', 'admin'], keyRoles: ['viewer'] },
      /^baton: the API key may not do this \(403\): POST \/v1\/tasks needs the submitter role; this key has viewer — use a key with that role/,
    ],
    [400, { error: 'invalid_request', message: 'taskType: task type must be dotted lowercase words', issues: [] }, /rejected POST \/v1\/tasks \(400\): taskType: task type must be dotted/],
    [503, { error: 'unavailable', message: 'could not queue the task' }, /failed on POST \/v1\/tasks \(503\): could not queue the task/],
    [200, { hello: 'world' }, /unexpected answer to POST \/v1\/tasks: taskId/],
  ])('reports a %i from the gateway and exits 1', async (status, body, message) => {
    const g = await gateway((_req, res) => json(res, status, body));
    const r = await run(['submit', '--type', 't', '--text', 'x', '--gateway', g.url]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
  });

  it.each([
    ['without --type', ['submit', '--text', 'x'], /required option '--type <taskType>' not specified/],
    ['with both --text and --file', ['submit', '--type', 't', '--text', 'x', '--file', 'f'], /cannot be used with/],
    ['with a bad --timeout', ['submit', '--type', 't', '--text', 'x', '--timeout', 'soon'], /positive number of seconds/],
  ])('refuses to run %s', async (_name, argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
  });
});

describe('baton status', () => {
  it('prints the task, exiting 2 for an escalated one', async () => {
    const g = await gateway((_req, res) =>
      json(res, 200, taskView('escalated', { attempts: 3, error: { kind: 'model', code: 'attempts_exhausted', message: 'output failed the schema 3 times' } })),
    );
    const r = await run(['status', TASK, '--gateway', g.url]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('reason   model/attempts_exhausted: output failed the schema 3 times');
  });

  it('reports an unknown task and exits 1', async () => {
    const g = await gateway((_req, res) => json(res, 404, { error: 'not_found', message: `no task ${TASK}` }));
    const r = await run(['status', TASK, '--gateway', g.url, '--json']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`baton: not found (404): no task ${TASK}`);
    expect(r.out).toBe('');
  });
});
