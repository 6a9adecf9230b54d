import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayClient, Stack, type TaskView } from '@baton/stack';
import { StateStore } from '@baton/state';
import { OtlpCollector } from '../support/otlp-collector';
import { waitFor } from '../support/wait-for';

// Routing policies, fallbacks and circuit breakers, every service a process on the real
// Kafka and Redis, the model simulator scripted per model over HTTP.

jest.setTimeout(120000);

const BASE_PORT = 19080;
const BREAKER_FAILURES = 2;
const BREAKER_OPEN_MS = 5000;
const MODELS = ['sim-mini', 'sim-standard', 'sim-large', 'sim-reasoner'];
// A tenant of its own, so its spend per model starts at zero on every run.
const TENANT = `routing-${randomUUID().slice(0, 8)}`;
const KEY = `key-${randomUUID()}`;

interface SimLogEntry {
  model?: string;
  outcome: string;
  body?: unknown;
}

let stack: Stack;
let simBase: string;
let state: StateStore;
let collector: OtlpCollector;

let gw: GatewayClient;
const submit = async (body: Record<string, unknown>) => (await gw.submit(body)).taskId;
const untilTerminal = (id: string) => gw.untilTerminal(id, 30000);

/** Submits a task whose input carries `marker`, waits for its end, and returns it with the model calls it caused. */
async function run(marker: string, extra: Record<string, unknown> = {}): Promise<{ task: TaskView; calls: Array<[string | undefined, string]> }> {
  const task = await untilTerminal(await submit({ taskType: 'ticket.summarize', input: { text: `${marker}: the printer on floor 3 jams on every duplex job.` }, ...extra }));
  const res = await fetch(`${simBase}/_sim/requests`);
  const { requests } = (await res.json()) as { requests: SimLogEntry[] };
  const calls = requests.filter((r) => JSON.stringify(r.body).includes(marker)).map((r): [string | undefined, string] => [r.model, r.outcome]);
  return { task, calls };
}

async function sim(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${simBase}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  expect(res.ok).toBe(true);
}

async function spendByModel(): Promise<Record<string, number>> {
  const res = await fetch(`${stack.gatewayUrl}/v1/spend`, { headers: { 'x-api-key': KEY } });
  return ((await res.json()) as { byModel: Record<string, number> }).byModel;
}

const marker = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  // Breakers live in the shared Redis: start from closed ones whatever an earlier run left.
  state = await StateStore.connect(process.env.REDIS_URL ?? 'redis://127.0.0.1:6399', { name: 'routing-system-test' });
  await Promise.all(MODELS.map((m) => state.breakers.reset(m)));
  const routingConfig = join(mkdtempSync(join(tmpdir(), 'baton-routing-e2e-')), 'routing.yaml');
  writeFileSync(routingConfig, 'default: cheapest\nbyTaskType:\n  ticket.review: best-quality\n');
  collector = await OtlpCollector.start();
  stack = await Stack.start({
    basePort: BASE_PORT,
    // `risk` for the fraud-hold workflow; it shares the specialists' process.
    roles: ['general', 'risk'],
    modelsOnSimulator: true,
    env: {
      GATEWAY_API_KEYS: `${TENANT}:${KEY}`,
      LLM_MAX_RETRIES: '0',
      BATON_BREAKER_FAILURES: String(BREAKER_FAILURES),
      BATON_BREAKER_OPEN_MS: String(BREAKER_OPEN_MS),
      BATON_ROUTING_CONFIG: routingConfig,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    },
  });
  simBase = stack.simulatorUrl!.replace(/\/v1$/, '');
  gw = new GatewayClient(stack.gatewayUrl, KEY);
}, 90000);

afterAll(async () => {
  await stack?.stop();
  await collector?.close();
  // Leave no open breaker behind for the next suite on this Redis.
  if (state) await Promise.all(MODELS.map((m) => state.breakers.reset(m)));
  await state?.close();
}, 60000);

describe('fallbacks and circuit breakers', () => {
  it('completes a task on the fallback model when the routed model fails', async () => {
    await sim('POST', '/_sim/rules', { id: 'mini-down', match: { model: 'sim-mini' }, replies: [{ fault: 500 }], repeat: true });
    const m = marker('FALLBACK');
    const { task, calls } = await run(m);
    expect(task.status).toBe('completed');
    // The task keeps the routed model; the answer came from the first fallback.
    expect(task.model).toBe('sim-mini');
    expect(calls).toEqual([
      ['sim-mini', 'fault:500'],
      ['sim-standard', 'default'],
    ]);
    // Usage is charged to the model that answered.
    const byModel = await waitFor('the spend on sim-standard', async () => {
      const spend = await spendByModel();
      return (spend['sim-standard'] ?? 0) > 0 ? spend : undefined;
    });
    expect(byModel['sim-mini']).toBeUndefined();
    // The agent's span names both the model asked for and the one used.
    const agentSpan = await waitFor('the agent span of the task', () =>
      collector.trace(task.traceId!).find((s) => s.service === 'baton-agent' && s.name.startsWith('agent ')),
    );
    expect(agentSpan.attributes['baton.model.requested']).toBe('sim-mini');
    expect(agentSpan.attributes['baton.model.used']).toBe('sim-standard');
  });

  it(`opens the breaker after ${BREAKER_FAILURES} failed tasks, so the next task never calls the broken model`, async () => {
    // The task above was the first failure; this one reaches the threshold.
    const second = await run(marker('BREAK'));
    expect(second.task.status).toBe('completed');
    expect(second.calls.map(([model]) => model)).toEqual(['sim-mini', 'sim-standard']);
    expect(await state.breakers.state('sim-mini')).toBe('open');

    const third = await run(marker('OPEN'));
    expect(third.task.status).toBe('completed');
    // The router left the open model out: routed straight to the next cheapest.
    expect(third.task.model).toBe('sim-standard');
    expect(third.calls).toEqual([['sim-standard', 'default']]);
  });

  it('closes the breaker once the cool-down is over and the model answers again', async () => {
    await sim('DELETE', '/_sim/rules');
    // Waiting out the cool-down itself, the one wait this test cannot avoid.
    await waitFor('the breaker of sim-mini to be half-open', async () => ((await state.breakers.state('sim-mini')) === 'half_open' ? true : undefined), BREAKER_OPEN_MS + 5000, 200);
    const { task, calls } = await run(marker('HEALED'));
    expect(task.status).toBe('completed');
    expect(task.model).toBe('sim-mini');
    expect(calls).toEqual([['sim-mini', 'default']]);
    expect(await state.breakers.state('sim-mini')).toBe('closed');
  });
});

describe('routing policies', () => {
  it("routes a task asking for best-quality to the best model", async () => {
    const { task, calls } = await run(marker('BEST'), { routingPolicy: 'best-quality' });
    expect(task.status).toBe('completed');
    expect(task.model).toBe('sim-reasoner');
    expect(calls).toEqual([['sim-reasoner', 'default']]);
  });

  it('applies the policy BATON_ROUTING_CONFIG sets for a task type', async () => {
    const { task } = await run(marker('REVIEW'), { taskType: 'ticket.review' });
    expect(task.status).toBe('completed');
    expect(task.model).toBe('sim-reasoner');
  });

  it('routes every step of a workflow under the task\'s policy', async () => {
    const { task, calls } = await run(marker('WORKFLOW'), { taskType: 'fraud.signal', workflow: 'fraud-hold', routingPolicy: 'best-quality' });
    expect(task.status).toBe('completed');
    expect(task.model).toBe('sim-reasoner');
    // assess, then decide: each step on the model the policy chose for it.
    expect(calls).toEqual([
      ['sim-reasoner', 'default'],
      ['sim-reasoner', 'default'],
    ]);
  });

  it('fails a task naming an unknown workflow as the submitter\'s error', async () => {
    const { task, calls } = await run(marker('NOFLOW'), { workflow: 'no-such-workflow' });
    expect(task.status).toBe('failed');
    expect(task.error).toMatchObject({ kind: 'user', code: 'unknown_workflow' });
    expect(calls).toEqual([]);
  });

  it('fails a task whose needs no model meets, saying so', async () => {
    const { task, calls } = await run(marker('NOMODEL'), { needs: { capabilities: ['vision'] } });
    expect(task.status).toBe('failed');
    expect(task.error).toMatchObject({ kind: 'user', code: 'no_eligible_model' });
    expect(calls).toEqual([]);
  });
});
