import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runProgram } from './testing/run-program';

const TASK = '0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A stand-in for the gateway answering every request with `status` and `body`; records the URLs asked. */
async function gateway(status: number, body: unknown): Promise<{ url: string; urls: string[] }> {
  const urls: string[] = [];
  const server = createServer((req, res: ServerResponse) => {
    urls.push(req.url ?? '');
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, urls };
}

const run = (argv: string[], gatewayUrl: string) => runProgram(argv, { env: { BATON_GATEWAY_URL: gatewayUrl } });

describe('baton audit', () => {
  it("prints the task's trail oldest first with the trace id", async () => {
    const gw = await gateway(200, {
      taskId: TASK,
      entries: [
        { eventId: 'e1', at: '2026-11-24T10:14:03.112Z', category: 'input', actor: 'guardrails', decision: 'redact', reason: 'admitted with 1 value replaced', traceId: 'abc123' },
        { eventId: 'e2', at: '2026-11-24T10:14:03.391Z', category: 'tool', actor: 'guardrails', decision: 'deny', reason: 'role sales may not call issue_refund', subject: 'issue_refund', traceId: 'abc123' },
      ],
    });
    const r = await run(['audit', TASK], gw.url);
    expect(r.code).toBe(0);
    expect(gw.urls).toEqual([`/v1/tasks/${TASK}/audit`]);
    expect(r.out).toContain(`Audit trail of task ${TASK} (2 entries, trace abc123)`);
    const lines = r.out.split('\n');
    expect(lines[2]).toMatch(/^10:14:03\.112\s+input\s+guardrails\s+redact\s+-\s+admitted with 1 value replaced$/);
    expect(lines[3]).toMatch(/issue_refund\s+role sales may not call issue_refund$/);
  });

  it('says when the gateway knows no such task', async () => {
    const gw = await gateway(404, { error: 'not_found', message: `no task ${TASK}` });
    const r = await run(['audit', TASK], gw.url);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`baton: not found (404): no task ${TASK}`);
  });
});

describe('baton spend', () => {
  const view = {
    tenantId: 'acme',
    day: '2026-11-24',
    totalMicros: 5_250_000,
    dayMicros: 1_250_000,
    byModel: { 'sim-mini': 250_000, 'sim-pro': 1_000_000 },
    budgets: [{ scope: 'tenant:acme:day:2026-11-24', limitMicros: 100_000_000, spentMicros: 1_250_000, reservedMicros: 40_000 }],
    task: { taskId: TASK, spentMicros: 12 },
  };

  it('shows the day, the models by spend, the budget left after reservations, and the task', async () => {
    const gw = await gateway(200, view);
    const r = await run(['spend', '--day', '2026-11-24', '--task', TASK], gw.url);
    expect(r.code).toBe(0);
    expect(gw.urls).toEqual([`/v1/spend?day=2026-11-24&taskId=${TASK}`]);
    expect(r.out).toContain('Spend of acme: $1.250000 on 2026-11-24, $5.250000 in all');
    expect(r.out.indexOf('sim-pro')).toBeLessThan(r.out.indexOf('sim-mini'));
    expect(r.out).toMatch(/tenant:acme:day:2026-11-24\s+\$100\.000000\s+\$1\.250000\s+\$0\.040000\s+\$98\.710000/);
    expect(r.out).toContain(`Task ${TASK}: $0.000012`);
  });

  it('refuses a malformed day without asking the gateway', async () => {
    const gw = await gateway(200, view);
    const r = await run(['spend', '--day', 'yesterday'], gw.url);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--day must be a UTC day/);
    expect(gw.urls).toEqual([]);
  });
});
