import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { GatewayClient, Stack, repoRoot } from '@baton/stack';
import { Attr, SpanEvent } from '@baton/telemetry';
import { resetModelBreakers } from '../support/breakers';
import { simulatorApi } from '../support/simulator';
import { SINGLE_STEP_EDGES } from '../support/trace-edges';
import { waitFor } from '../support/wait-for';

// Traces SREs read, end to end: every service a process on the real Kafka and Redis,
// exporting over OTLP/protobuf to a real Arize Phoenix (started by the local setup), read
// back through Phoenix's REST API and rendered by `baton trace`.
// - a task whose routed model fails twice (a retry, then a fallback): one trace across
//   every service with the Kafka edges, GenAI attributes and cost on the model spans;
// - a debate of parallel specialists that ties and goes to a human, whose decision, given
//   later over HTTP, continues the task's trace under its submission.

jest.setTimeout(240000);

const KEY = 'dev-key-acme';
const PERSONA = { risk: 'You are a fraud and risk analyst', compliance: 'You are a compliance officer' };
const SERVICES = ['baton-gateway', 'baton-guardrails', 'baton-router', 'baton-planner', 'baton-agent', 'baton-cost-accountant'];
const DEBATE_HUMAN = `name: t-trace-debate
description: Two specialists vote; a human breaks a tie.
plan:
  steps:
    - id: vote
      role: judge
      instruction: TRACE-DEBATE Should the payment be held?
      debate:
        participants: [{ role: risk }, { role: compliance }]
        choices: [hold, release]
        onTie: human
`;

/** A span as Phoenix's REST API returns it. */
interface PhoenixSpan {
  name: string;
  context: { trace_id: string; span_id: string };
  parent_id: string | null;
  status_code: string;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes?: Record<string, unknown> }>;
}

const traceUrl = process.env.BATON_TRACE_URL ?? '';
const project = `baton-system-${randomUUID().slice(0, 8)}`;
let stack: Stack;
let gw: GatewayClient;
let simBase: string;
let workflowsDir: string;
const sim = simulatorApi(() => simBase);
const run = promisify(execFile);

async function phoenixSpans(traceId: string): Promise<PhoenixSpan[]> {
  const res = await fetch(`${traceUrl}/v1/projects/${project}/spans?trace_id=${traceId}&limit=1000`);
  if (res.status === 404) return [];
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: PhoenixSpan[] }).data;
}

/** The trace's spans once every `wanted` span is in Phoenix (services export in batches). */
function traceWith(traceId: string, wanted: (spans: PhoenixSpan[]) => boolean): Promise<PhoenixSpan[]> {
  return waitFor(`trace ${traceId} in Phoenix`, async () => {
    const spans = await phoenixSpans(traceId);
    return wanted(spans) ? spans : undefined;
  }, 60000, 500);
}

const service = (s: PhoenixSpan) => String(s.attributes[Attr.serviceName]);

/** service->service pairs where a consumer span hangs under another service's producer span. */
function kafkaEdges(spans: PhoenixSpan[]): Set<string> {
  const byId = new Map(spans.map((s) => [s.context.span_id, s]));
  const edges = new Set<string>();
  for (const c of spans.filter((s) => s.name.startsWith('process '))) {
    const parent = c.parent_id ? byId.get(c.parent_id) : undefined;
    expect(parent?.name).toBe(`publish ${c.name.slice('process '.length)}`);
    if (parent && service(parent) !== service(c)) edges.add(`${service(parent)}->${service(c)}`);
  }
  return edges;
}

async function bat(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [path.join(repoRoot(), 'bin', 'baton.js'), ...args], {
    env: { ...process.env, BATON_GATEWAY_URL: stack.gatewayUrl, BATON_API_KEY: KEY, BATON_TRACE_URL: traceUrl, BATON_TRACE_PROJECT: project },
  });
  return stdout;
}

beforeAll(async () => {
  if (!traceUrl) throw new Error('BATON_TRACE_URL is not set: the test setup starts Phoenix with deploy/local/infra.sh up (BATON_TRACE_VIEWER must not be none)');
  await resetModelBreakers();
  workflowsDir = mkdtempSync(path.join(tmpdir(), 'baton-workflows-'));
  cpSync(path.join(repoRoot(), 'workflows'), workflowsDir, { recursive: true });
  writeFileSync(path.join(workflowsDir, 't-trace-debate.yaml'), DEBATE_HUMAN);
  stack = await Stack.start({
    basePort: 27080,
    modelsOnSimulator: true,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: traceUrl,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      BATON_TRACE_PROJECT: project,
      BATON_WORKFLOWS_DIR: workflowsDir,
      LLM_MAX_RETRIES: '1',
    },
  });
  simBase = stack.simulatorUrl!.replace(/\/v1$/, '');
  gw = new GatewayClient(stack.gatewayUrl, KEY);
}, 180000);

afterEach(async () => {
  await sim('DELETE', '/_sim/rules');
  await resetModelBreakers();
});

afterAll(async () => {
  await stack?.stop();
  if (workflowsDir) rmSync(workflowsDir, { recursive: true, force: true });
  await resetModelBreakers();
}, 60000);

describe('a task with a retry and a fallback', () => {
  it('leaves one trace across every service, with GenAI attributes and cost on the model spans, and baton trace renders it', async () => {
    // The routed model fails twice: the client retries once, then the agent falls back.
    await sim('POST', '/_sim/rules', { id: 'flaky', match: { model: 'sim-mini', contains: 'TRACE-FALLBACK' }, replies: [{ fault: 500 }], repeat: true });
    const text = 'TRACE-FALLBACK Senior data engineer, 8 years of Spark and Kafka, led a team of 5.';
    const { taskId } = await gw.submit({ taskType: 'resume.screen', input: { text } });
    const done = await gw.waitForEnd(taskId);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'completed', error: undefined });
    const traceId = done.traceId!;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    const spans = await traceWith(traceId, (all) => {
      const seen = new Set(all.map(service));
      return SERVICES.every((s) => seen.has(s)) && all.some((s) => s.name === 'record spend');
    });

    // Every span is about this task and its tenant.
    for (const s of spans) {
      expect({ span: s.name, task: s.attributes[Attr.taskId] }).toEqual({ span: s.name, task: taskId });
      expect(s.attributes[Attr.tenantId]).toBe('acme');
    }
    // One root, the gateway's request; every Kafka hop parented across services.
    expect(spans.filter((s) => !s.parent_id).map((s) => s.name)).toEqual(['POST /v1/tasks']);
    const edges = kafkaEdges(spans);
    for (const edge of SINGLE_STEP_EDGES) expect(edges).toContain(edge);

    // The model calls: the failed one with its retry, then the fallback that answered.
    const chats = spans.filter((s) => s.attributes[Attr.genAiOperation] === 'chat');
    const failed = chats.filter((s) => s.status_code === 'ERROR');
    const ok = chats.filter((s) => s.status_code !== 'ERROR');
    expect(failed).toHaveLength(1);
    expect(failed[0].events.map((e) => e.name)).toEqual([SpanEvent.llmRetry]);
    expect(ok).toHaveLength(1);
    const answered = ok[0].attributes;
    expect(answered[Attr.genAiSystem]).toBe('simulator');
    expect(answered[Attr.genAiRequestModel]).not.toBe(failed[0].attributes[Attr.genAiRequestModel]);
    expect(answered[Attr.genAiResponseModel]).toBe(answered[Attr.genAiRequestModel]);
    expect(answered[Attr.genAiInputTokens]).toBeGreaterThan(0);
    expect(answered[Attr.genAiOutputTokens]).toBeGreaterThan(0);
    expect(answered[Attr.genAiFinishReasons]).toEqual(['stop']);
    expect(answered[Attr.costMicros]).toBeGreaterThan(0);
    const agent = spans.find((s) => s.name.startsWith('agent '))!;
    const fallback = agent.events.find((e) => e.name === SpanEvent.modelFallback);
    expect(fallback?.attributes?.[Attr.fallbackFrom]).toBe(failed[0].attributes[Attr.genAiRequestModel]);
    expect(fallback?.attributes?.[Attr.fallbackTo]).toBe(answered[Attr.genAiRequestModel]);
    // The task's text never reaches a span unless BATON_TRACE_CONTENT turns it on.
    expect(JSON.stringify(spans)).not.toContain('Spark and Kafka');

    const out = await bat(['trace', taskId, '--wait', '2']);
    const lines = out.split('\n');
    expect(lines[0]).toBe(`Trace ${traceId} of task ${taskId}`);
    expect(lines[1]).toContain(`${spans.length} spans, 6 services (agent, cost-accountant, gateway, guardrails, planner, router)`);
    expect(lines[2]).toBe('');
    expect(lines[3]).toMatch(/^POST \/v1\/tasks\s+gateway\s+\d+\.\d (ms|s)/);
    const modelLine = lines.find((l) => l.includes(`chat ${String(answered[Attr.genAiRequestModel])}`) && !l.includes('ERROR'));
    expect(modelLine).toMatch(/agent\s+\d+\.\d+ m?s\s+\$0\.\d{6}\s+model /);
    expect(lines.filter((l) => l.includes('ERROR server_error (500)'))).toHaveLength(1);
    expect(out).toMatch(/fallback \S+→\S+ \(/);
    mkdirSync(path.join(repoRoot(), '.baton', 'logs'), { recursive: true });
    writeFileSync(path.join(repoRoot(), '.baton', 'logs', 'trace-fallback.txt'), out);
  });
});

describe('a debate that goes to a human', () => {
  it('keeps the parallel votes and the human decision, given later, in the task’s one trace', async () => {
    await sim('POST', '/_sim/rules', { match: { contains: PERSONA.risk }, replies: [{ json: { vote: 'hold', rationale: 'new device' } }], repeat: true });
    await sim('POST', '/_sim/rules', { match: { contains: PERSONA.compliance }, replies: [{ json: { vote: 'release', rationale: 'known customer' } }], repeat: true });
    const { taskId, traceId } = await gw.submit({ taskType: 'fraud.review', workflow: 't-trace-debate', input: { text: 'payment 4,900 EUR' } });
    const escalated = await waitFor('the task to stop', async () => {
      const t = await gw.get(taskId);
      return ['escalated', 'completed', 'failed', 'rejected'].includes(t.status) ? t : undefined;
    }, 60000, 200);
    expect({ status: escalated.status, error: escalated.error }).toMatchObject({ status: 'escalated', error: { code: 'debate_tie' } });
    const res = await fetch(`${stack.gatewayUrl}/v1/escalations/${taskId}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: JSON.stringify({ action: 'answer', answer: 'hold', comment: 'policy says hold' }),
    });
    expect(res.status).toBe(202);
    // Escalated counts as an end for waitForEnd; wait past it for the resumed run's end.
    const done = await waitFor('the resumed task to end', async () => {
      const t = await gw.get(taskId);
      return ['completed', 'failed'].includes(t.status) ? t : undefined;
    }, 60000, 200);
    expect(done.status).toBe('completed');
    expect(done.traceId).toBe(traceId);

    const decisionSpan = 'POST /v1/escalations/:taskId/decision';
    const spans = await traceWith(traceId!, (all) => {
      const decision = all.find((s) => s.name === decisionSpan);
      return Boolean(decision) && all.some((s) => s.name === 'publish baton.task.completed');
    });
    for (const s of spans) expect(s.attributes[Attr.taskId]).toBe(taskId);
    const byId = new Map(spans.map((s) => [s.context.span_id, s]));
    const root = spans.find((s) => !s.parent_id)!;
    expect(root.name).toBe('POST /v1/tasks');
    expect(spans.filter((s) => !s.parent_id)).toHaveLength(1);

    // Both specialists voted in the same trace, side by side.
    const votes = spans.filter((s) => s.name.startsWith('agent '));
    expect(new Set(votes.map((s) => s.name))).toEqual(new Set(['agent risk', 'agent compliance']));

    // The human's decision hangs under the submission; the planner's resumed work under the decision.
    const decision = spans.find((s) => s.name === decisionSpan)!;
    expect(decision.parent_id).toBe(root.context.span_id);
    expect(decision.attributes[Attr.decisionAction]).toBe('answer');
    const under = (s: PhoenixSpan, ancestor: PhoenixSpan): boolean => {
      for (let p = s.parent_id ? byId.get(s.parent_id) : undefined; p; p = p.parent_id ? byId.get(p.parent_id) : undefined) {
        if (p.context.span_id === ancestor.context.span_id) return true;
      }
      return false;
    };
    const resumed = spans.filter((s) => service(s) === 'baton-planner' && under(s, decision));
    expect(resumed.some((s) => s.name.startsWith('process '))).toBe(true);
    expect(resumed.some((s) => s.attributes[Attr.taskOutcome] === 'completed' || s.name.startsWith('plan '))).toBe(true);

    const out = await bat(['trace', taskId, '--wait', '2']);
    expect(out).toContain(decisionSpan);
    expect(out).toContain('decision answer');
    writeFileSync(path.join(repoRoot(), '.baton', 'logs', 'trace-debate-human.txt'), out);
  });
});
