import { randomUUID } from 'node:crypto';
import { Topics, type TaskRejected } from '@baton/contracts';
import { MessageBus, type Subscription } from '@baton/messaging';
import { GatewayClient, Stack, type TaskView } from '@baton/stack';
import { Attr, SpanEvent } from '@baton/telemetry';
import { OtlpCollector, type CollectedSpan } from '../support/otlp-collector';
import { resetModelBreakers } from '../support/breakers';
import { SINGLE_STEP_EDGES } from '../support/trace-edges';
import { waitFor } from '../support/wait-for';

// The whole pipeline as separate processes on the real Kafka and Redis, with the model
// simulator as the only simulated part (reached over HTTP like a real provider).

jest.setTimeout(240000);

const BASE_PORT = 18080;
const KEY = 'dev-key-acme';
const INVALID_MARKER = 'ALWAYS-INVALID-OUTPUT';

const LEAD_SCHEMA = {
  type: 'object',
  properties: {
    qualified: { type: 'boolean' },
    score: { type: 'integer', minimum: 0, maximum: 100 },
    nextAction: { type: 'string', minLength: 1 },
  },
  required: ['qualified', 'score', 'nextAction'],
  additionalProperties: false,
};


let stack: Stack;
let collector: OtlpCollector;
let bus: MessageBus;
let rejectedSub: Subscription;
const rejected: TaskRejected[] = [];

let gw: GatewayClient;
const submit = (body: unknown, headers: Record<string, string> = {}) => gw.post(body, headers);
const getTask = (id: string) => gw.get(id);
const untilTerminal = (id: string) => gw.untilTerminal(id);

beforeAll(async () => {
  await resetModelBreakers();
  collector = await OtlpCollector.start();
  stack = await Stack.start({
    basePort: BASE_PORT,
    modelsOnSimulator: true,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    },
  });
  gw = new GatewayClient(stack.gatewayUrl, KEY);
  // A scripted model that never returns valid JSON for tasks carrying the marker.
  const rule = await fetch(`${stack.simulatorUrl!.replace(/\/v1$/, '')}/_sim/rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'always-invalid', match: { contains: INVALID_MARKER }, replies: [{ content: 'I would rather chat than answer in JSON.' }], repeat: true }),
  });
  expect(rule.ok).toBe(true);
  bus = new MessageBus({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), clientId: 'system-test' });
  await bus.connect();
  rejectedSub = await bus.subscribe({
    groupId: `system-test-${randomUUID()}`,
    topics: [Topics.taskRejected],
    fromBeginning: false,
    handlers: { 'task.rejected': async (e) => void rejected.push(e) },
  });
}, 180000);

afterAll(async () => {
  await rejectedSub?.stop();
  await bus?.close();
  await stack?.stop();
  await collector?.close();
}, 60000);

describe('one task through all six services', () => {
  let leadTask: TaskView;

  it('completes a lead qualification with a schema-valid result and its cost', async () => {
    const sub = await submit({
      taskType: 'lead.qualify',
      input: { text: 'Met Dana Whitfield (dana@example.com, +1 415 555 0132) at the expo. 40 seats, budget approved, wants a pilot in Q3.' },
      outputSchema: LEAD_SCHEMA,
    });
    expect(sub.status).toBe(202);
    const id = sub.json.taskId as string;
    const done = await untilTerminal(id);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'completed', error: undefined });
    expect(done.attempts).toBe(1);
    expect(typeof (done.result as Record<string, unknown>).qualified).toBe('boolean');
    expect(Number.isInteger((done.result as Record<string, unknown>).score)).toBe(true);
    expect(done.traceId).toMatch(/^[0-9a-f]{32}$/);
    leadTask = await waitFor('the task cost to be recorded', async () => {
      const t = await getTask(id);
      return t.costMicros > 0 ? t : undefined;
    });
    expect(leadTask.costMicros).toBeGreaterThan(0);
  });

  it('completes a resume screening through the recruiting specialist, without a schema', async () => {
    const sub = await submit({ taskType: 'resume.screen', input: { text: 'Senior data engineer, 8 years of Spark and Kafka, led a team of 5.' } });
    expect(sub.status).toBe(202);
    const done = await untilTerminal(sub.json.taskId as string);
    expect(done.status).toBe('completed');
    expect(typeof done.result).toBe('string');
    expect((done.result as string).length).toBeGreaterThan(0);
  });

  it('escalates a task whose output always fails the check after 3 attempts', async () => {
    const sub = await submit({ taskType: 'lead.qualify', input: { text: `Notes: ${INVALID_MARKER} call back next week.` }, outputSchema: LEAD_SCHEMA });
    const done = await untilTerminal(sub.json.taskId as string);
    expect(done.status).toBe('escalated');
    expect(done.attempts).toBe(3);
    expect(done.error?.code).toBe('attempts_exhausted');
  });

  it('answers an invalid submission with 400 naming the bad field, and an unknown key with 401', async () => {
    const bad = await submit({ taskType: 'lead.qualify', input: { text: '' } });
    expect(bad.status).toBe(400);
    expect(String(bad.json.message)).toContain('input.text');
    const badType = await submit({ taskType: 'Lead Qualify!', input: { text: 'x' } });
    expect(badType.status).toBe(400);
    expect(String(badType.json.message)).toContain('taskType');
    const unauth = await fetch(`${stack.gatewayUrl}/v1/tasks`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'nope' }, body: '{}' });
    expect(unauth.status).toBe(401);
  });

  it('rejects an oversized input with task.rejected and the reason', async () => {
    const sub = await submit({ taskType: 'support.triage', input: { text: 'a'.repeat(25000) } });
    expect(sub.status).toBe(202);
    const id = sub.json.taskId as string;
    const done = await untilTerminal(id);
    expect(done.status).toBe('rejected');
    expect(done.error?.code).toBe('input_too_large');
    const event = await waitFor('task.rejected on Kafka', () => rejected.find((e) => e.taskId === id));
    expect(event.data.reason.code).toBe('input_too_large');
  });

  it('returns the same task for a repeated idempotency key', async () => {
    const key = randomUUID();
    const body = { taskType: 'support.triage', input: { text: 'My invoice is wrong.' } };
    const first = await submit(body, { 'idempotency-key': key });
    const second = await submit(body, { 'idempotency-key': key });
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.json.taskId).toBe(first.json.taskId);
    expect(second.json.duplicate).toBe(true);
  });

  it('leaves one trace spanning every service, with parent links across the Kafka hops', async () => {
    const traceId = leadTask.traceId!;
    const services = ['baton-gateway', 'baton-guardrails', 'baton-router', 'baton-planner', 'baton-agent', 'baton-cost-accountant'];
    const spans = await waitFor('spans of every service in the trace', () => {
      const t = collector.trace(traceId);
      const seen = new Set(t.map((s) => s.service));
      return services.every((s) => seen.has(s)) ? t : undefined;
    }, 30000, 250);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const messagingSpans = spans.filter((s) => /^(process|publish) /.test(s.name));
    expect(messagingSpans.length).toBeGreaterThanOrEqual(14);
    for (const s of messagingSpans) expect(s.attributes['baton.task.id']).toBe(leadTask.taskId);
    // Every consumer span's parent is a producer span of another service: the context crossed Kafka.
    const consumers = spans.filter((s) => s.name.startsWith('process '));
    const edges = new Set<string>();
    for (const c of consumers) {
      const parent = byId.get(c.parentSpanId) as CollectedSpan | undefined;
      expect(parent?.name).toBe(`publish ${c.name.slice('process '.length)}`);
      if (parent && parent.service !== c.service) edges.add(`${parent.service}->${c.service}`);
    }
    for (const edge of SINGLE_STEP_EDGES) expect(edges).toContain(edge);
    // The root is the gateway's request span.
    const roots = spans.filter((s) => !s.parentSpanId);
    expect(roots.map((r) => r.service)).toEqual(['baton-gateway']);
  });

  it('names every span attribute and event from the telemetry registry, and tags every span with its task and tenant', () => {
    const registered = new Set<string>(Object.values(Attr));
    // Events the OpenTelemetry API itself writes (recordException) and their conventional attributes.
    const upstreamEvents = new Set(['exception']);
    const upstreamEventAttrs = new Set(['exception.type', 'exception.message', 'exception.stacktrace']);
    const spanEvents = new Set<string>(Object.values(SpanEvent));
    // Every span of every task this file ran, not just one trace.
    const all = collector.spans.filter((s) => s.service.startsWith('baton-'));
    expect(all.length).toBeGreaterThan(50);
    const unregistered = new Set<string>();
    for (const s of all) {
      for (const key of Object.keys(s.attributes)) if (!registered.has(key)) unregistered.add(`${s.name}: ${key}`);
      for (const e of s.events) {
        if (!spanEvents.has(e.name) && !upstreamEvents.has(e.name)) unregistered.add(`${s.name}: event ${e.name}`);
        for (const key of Object.keys(e.attributes)) {
          if (!registered.has(key) && !upstreamEventAttrs.has(key)) unregistered.add(`${s.name}: event ${e.name}: ${key}`);
        }
      }
    }
    expect([...unregistered]).toEqual([]);
    const untagged = all.filter((s) => !s.attributes[Attr.taskId] || !s.attributes[Attr.tenantId]).map((s) => `${s.service} ${s.name}`);
    expect(untagged).toEqual([]);
    for (const s of all) expect(s.attributes[Attr.serviceName]).toBe(s.service);
  });
});
