import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runProgram } from './testing/run-program';

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

const deadLetter = {
  topic: 'baton.task.submitted',
  partition: 2,
  offset: '11',
  reason: 'handler_failed',
  kind: 'poison',
  eventId: 'e-1',
  consumerGroup: 'router',
  error: 'a bug',
  attempts: 3,
  failedAt: '2026-01-02T03:04:05.000Z',
  truncated: false,
};

describe('baton dlq', () => {
  it('lists the dead letters of a topic with their addresses', async () => {
    const g = await gateway(200, { deadLetters: [deadLetter] });
    const r = await run(['dlq', 'list', '--topic', 'baton.task.submitted', '--limit', '5', '--api-key', 'k-1'], g.url);
    expect(r.code).toBe(0);
    expect(g.seen).toEqual([{ method: 'GET', url: '/v1/dead-letters?topic=baton.task.submitted&limit=5', apiKey: 'k-1', body: '' }]);
    expect(r.out).toContain('baton.task.submitted/2/11');
    expect(r.out).toContain('poison');
  });

  it('shows one dead letter by its address', async () => {
    const view = {
      ...deadLetter,
      record: { originalTopic: 'baton.task.submitted', partition: 0, offset: '41', key: 'task-1', value: '{"x":1}', valueEncoding: 'utf8' },
      redrive: { state: 'done', by: 'api:acme', at: '2026-01-02T04:00:00.000Z', to: { topic: 'baton.task.submitted', partition: 0, offset: '99' } },
    };
    const g = await gateway(200, view);
    const r = await run(['dlq', 'show', 'baton.task.submitted/2/11', '--api-key', 'k-1'], g.url);
    expect(r.code).toBe(0);
    expect(g.seen[0]).toMatchObject({ method: 'GET', url: '/v1/dead-letters/baton.task.submitted/2/11' });
    expect(r.out).toContain('partition 0 offset 41');
    expect(r.out).toContain('done by api:acme');
    expect(r.out).toContain('{"x":1}');
  });

  it('redrives by address and says where the original went', async () => {
    const g = await gateway(202, { status: 'redriven', deadLetter: { topic: 'baton.task.submitted', partition: 2, offset: '11' }, to: { topic: 'baton.task.submitted', partition: 0, offset: '99' }, source: 'original' });
    const r = await run(['dlq', 'redrive', 'baton.task.submitted/2/11', '--api-key', 'k-1'], g.url);
    expect(r.code).toBe(0);
    expect(g.seen[0]).toMatchObject({ method: 'POST', url: '/v1/dead-letters/baton.task.submitted/2/11/redrive' });
    expect(r.out).toContain('back to baton.task.submitted/0/99');
  });

  it('reports a second redrive the gateway refuses', async () => {
    const g = await gateway(409, { error: 'already_redriven', message: 'already redriven by api:acme' });
    const r = await run(['dlq', 'redrive', 'baton.task.submitted/2/11', '--api-key', 'k-1'], g.url);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('already redriven');
  });

  it('refuses an address that is not <topic>/<partition>/<offset> without calling the gateway', async () => {
    const g = await gateway(200, {});
    const r = await run(['dlq', 'show', 'baton.task.submitted:2:11', '--api-key', 'k-1'], g.url);
    expect(r.code).not.toBe(0);
    expect(g.seen).toEqual([]);
    expect(r.err).toContain('<topic>/<partition>/<offset>');
  });
});
