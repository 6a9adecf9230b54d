import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Topics, type LlmUsage, type SpendRecorded, type TaskRouted } from '@baton/contracts';
import { TopicNamespace } from '@baton/messaging';
import { KafkaTestClient, testBrokers, type TopicCollector } from '@baton/messaging/testing';
import { namespaceKeyPrefix } from '@baton/service-kit';
import { GatewayClient, SHADOW_NAMESPACE, Stack, type TaskView } from '@baton/stack';
import { StateStore, type TaskRecord } from '@baton/state';
import { waitFor } from '../support/wait-for';

// Shadow mode end to end: a live pipeline on the cheapest model and a shadow pipeline on a
// candidate best-quality policy, every service a process on the real Kafka and Redis. The
// shadow takes in every live task and must never change a live outcome, topic or key.

jest.setTimeout(180000);

const BASE_PORT = 22080;
const LIVE_MODEL = 'sim-mini';
const CANDIDATE_MODEL = 'sim-reasoner';
const MODELS = ['sim-mini', 'sim-standard', 'sim-large', 'sim-reasoner'];
// Tenants of their own, so their spend and shadow index start empty on every run.
const TENANT = `shadow-${randomUUID().slice(0, 8)}`;
const KEY = `key-${randomUUID()}`;
const OTHER_TENANT = `other-${randomUUID().slice(0, 8)}`;
const OTHER_KEY = `key-${randomUUID()}`;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6399';
const shadowNs = new TopicNamespace({ namespace: SHADOW_NAMESPACE });
const AGREED_ANSWER = 'The printer on floor 3 jams on duplex jobs; a technician should check the duplex unit.';

interface SimLogEntry {
  model?: string;
  outcome: string;
  body?: unknown;
}

/** One submitted task and what the test expects of its shadow. */
interface Case {
  name: 'agree-1' | 'agree-2' | 'differ' | 'shadow-fails';
  marker: string;
  taskId: string;
}

let stack: Stack;
let simBase: string;
let gw: GatewayClient;
let live: StateStore;
let shadow: StateStore;
let kafka: KafkaTestClient;
let liveTopics: TopicCollector;
let shadowTopics: TopicCollector;
const cases: Case[] = [];
const liveViews = new Map<string, TaskView>();
const shadowRecords = new Map<string, TaskRecord>();

async function sim(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${simBase}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  expect(res.ok).toBe(true);
}

async function simCalls(marker: string): Promise<Array<[string | undefined, string]>> {
  const { requests } = (await (await fetch(`${simBase}/_sim/requests`)).json()) as { requests: SimLogEntry[] };
  return requests.filter((r) => JSON.stringify(r.body).includes(marker)).map((r): [string | undefined, string] => [r.model, r.outcome]);
}

async function api<T>(path: string, key = KEY): Promise<{ status: number; json: T }> {
  const res = await fetch(`${stack.gatewayUrl}${path}`, { headers: { 'x-api-key': key } });
  return { status: res.status, json: (await res.json()) as T };
}

/** Events of one topic collector, for this run's tenant only. */
function events<T extends { type: string; taskId: string; tenantId: string }>(collector: TopicCollector, type: T['type'], taskId?: string): T[] {
  return collector.records
    .map((r) => r.json<T>())
    .filter((e) => e.type === type && e.tenantId === TENANT && (taskId === undefined || e.taskId === taskId));
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const byName = (name: Case['name']) => cases.find((c) => c.name === name)!;

beforeAll(async () => {
  live = await StateStore.connect(REDIS_URL, { name: 'shadow-system-test' });
  shadow = await StateStore.connect(REDIS_URL, { name: 'shadow-system-test', keyPrefix: namespaceKeyPrefix(SHADOW_NAMESPACE) });
  // Breakers live in the shared Redis (one set per keyspace): start from closed ones.
  await Promise.all(MODELS.flatMap((m) => [live.breakers.reset(m), shadow.breakers.reset(m)]));
  kafka = new KafkaTestClient(testBrokers());
  // The shadow's entry group outlives a run; skip the live tasks other suites submitted since it last ran.
  await kafka.skipToEnd(shadowNs.groupId('guardrails'), Topics.taskSubmitted).catch(() => undefined);

  const dir = mkdtempSync(join(tmpdir(), 'baton-shadow-e2e-'));
  writeFileSync(join(dir, 'live.yaml'), 'default: cheapest\n');
  writeFileSync(join(dir, 'candidate.yaml'), 'default: best-quality\n');
  stack = await Stack.start({
    basePort: BASE_PORT,
    roles: ['general'],
    modelsOnSimulator: true,
    env: {
      GATEWAY_API_KEYS: `${TENANT}:${KEY},${OTHER_TENANT}:${OTHER_KEY}`,
      LLM_MAX_RETRIES: '0',
      BATON_ROUTING_CONFIG: join(dir, 'live.yaml'),
    },
    shadow: { routingConfig: join(dir, 'candidate.yaml') },
  });
  simBase = stack.simulatorUrl!.replace(/\/v1$/, '');
  gw = new GatewayClient(stack.gatewayUrl, KEY);
  const watched = [Topics.taskRouted, Topics.llmUsage, Topics.spendRecorded, Topics.taskCompleted, Topics.taskFailed, Topics.taskEscalated];
  liveTopics = await kafka.collect(watched);
  shadowTopics = await kafka.collect(watched.map((t) => shadowNs.topic(t)));
}, 150000);

afterAll(async () => {
  await stack?.stop();
  await kafka?.close();
  if (live && shadow) await Promise.all(MODELS.flatMap((m) => [live.breakers.reset(m), shadow.breakers.reset(m)]));
  await live?.close();
  await shadow?.close();
}, 60000);

describe('a shadow pipeline beside live', () => {
  it('runs every task on both sides, the shadow failing one task on its own', async () => {
    // Both sides get the same answer for the agree-* tasks, whatever the model.
    const agreeRule = (marker: string) => ({ id: `agree-${marker}`, match: { contains: marker }, replies: [{ content: AGREED_ANSWER }], repeat: true });
    for (const name of ['agree-1', 'agree-2', 'differ', 'shadow-fails'] as const) {
      const marker = `${name.toUpperCase()}-${randomUUID().slice(0, 8)}`;
      if (name.startsWith('agree')) await sim('POST', '/_sim/rules', agreeRule(marker));
      // Models differ per policy, so a rule on the candidate's model fails only the shadow. A
      // 400 (not a provider failure) rather than a 5xx: a 5xx would make the shadow agent fall
      // back down the model list to live's model and complete there.
      if (name === 'shadow-fails') {
        await sim('POST', '/_sim/rules', { id: `fail-${marker}`, match: { model: CANDIDATE_MODEL, contains: marker }, replies: [{ fault: 400 }], repeat: true });
      }
      cases.push({ name, marker, taskId: '' });
    }
    for (const c of cases) {
      c.taskId = (await gw.submit({ taskType: 'ticket.summarize', input: { text: `${c.marker}: the printer on floor 3 jams on every duplex job.` } })).taskId;
    }
    for (const c of cases) liveViews.set(c.taskId, await gw.waitForEnd(c.taskId, 60000));
    for (const c of cases) {
      shadowRecords.set(
        c.taskId,
        await waitFor(`the shadow side of ${c.name} to settle`, async () => {
          const r = await shadow.tasks.get(c.taskId);
          return r && ['completed', 'failed', 'rejected', 'escalated'].includes(r.status) ? r : undefined;
        }, 90000, 200),
      );
    }

    for (const c of cases) {
      expect({ name: c.name, status: liveViews.get(c.taskId)!.status, model: liveViews.get(c.taskId)!.model }).toEqual({ name: c.name, status: 'completed', model: LIVE_MODEL });
      const s = shadowRecords.get(c.taskId)!;
      expect({ name: c.name, tenant: s.tenantId, model: s.model }).toEqual({ name: c.name, tenant: TENANT, model: CANDIDATE_MODEL });
      if (c.name !== 'shadow-fails') expect(s.status).toBe('completed');
    }
    const failed = shadowRecords.get(byName('shadow-fails').taskId)!;
    expect(['failed', 'escalated']).toContain(failed.status);
    expect(failed.error?.code).toBeDefined();
    await sim('DELETE', '/_sim/rules');
  });

  it('leaves live exactly as without a shadow: its events, history and spend are live\'s own', async () => {
    for (const c of cases) {
      const view = liveViews.get(c.taskId)!;
      const record = (await live.tasks.get(c.taskId))!;
      // One pass through the pipeline: no status entered twice, as a second (shadow) writer would cause.
      expect(record.history.map((h) => h.status)).toEqual(['submitted', 'admitted', 'routed', 'running', 'completed']);
      // The live side called only the live model, once; the shadow called the candidate.
      const calls = await simCalls(c.marker);
      expect(calls.filter(([m]) => m === LIVE_MODEL)).toHaveLength(1);
      expect(calls.every(([m]) => m === LIVE_MODEL || m === CANDIDATE_MODEL)).toBe(true);
      // Exactly one live routing decision, on the live policy.
      await waitFor(`the live task.routed of ${c.name}`, () => (events<TaskRouted>(liveTopics, 'task.routed', c.taskId).length ? true : undefined));
      expect(events<TaskRouted>(liveTopics, 'task.routed', c.taskId).map((e) => e.data.model)).toEqual([LIVE_MODEL]);
      // Live spend is the price of the live usage events only.
      const usage = await waitFor(`the live usage of ${c.name}`, () => {
        const u = events<LlmUsage>(liveTopics, 'llm.usage', c.taskId);
        return u.length ? u : undefined;
      });
      expect(usage.map((u) => u.data.model)).toEqual([LIVE_MODEL]);
      const priced = await waitFor(`the live spend.recorded of ${c.name}`, () => {
        const p = events<SpendRecorded>(liveTopics, 'spend.recorded', c.taskId);
        return p.length === usage.length ? p : undefined;
      });
      expect(priced.map((p) => p.data.usageEventId)).toEqual(usage.map((u) => u.eventId));
      expect(view.costMicros).toBe(sum(priced.map((p) => p.data.costMicros)));
      expect(view.costMicros).toBeGreaterThan(0);
    }
    // Nothing of the candidate reached live topics or live spend.
    expect(events<LlmUsage>(liveTopics, 'llm.usage').some((u) => u.data.model !== LIVE_MODEL)).toBe(false);
    const spend = await api<{ totalMicros: number; byModel: Record<string, number> }>('/v1/spend');
    expect(Object.keys(spend.json.byModel)).toEqual([LIVE_MODEL]);
    expect(spend.json.totalMicros).toBe(sum(cases.map((c) => liveViews.get(c.taskId)!.costMicros)));
    // The shadow's index and records are in the shadow keyspace, not live's.
    expect(await live.context.getAll(`shadow-index:${TENANT}`)).toEqual({});
    expect(Object.keys(await shadow.context.getAll(`shadow-index:${TENANT}`)).sort()).toEqual(cases.map((c) => c.taskId).sort());
  });

  it('keeps the shadow\'s own records, events and budget, in the same trace as live', async () => {
    for (const c of cases) {
      const s = shadowRecords.get(c.taskId)!;
      expect(s.history[0]!.status).toBe('submitted');
      expect(s.traceId).toBe(liveViews.get(c.taskId)!.traceId);
      expect(events<TaskRouted>(shadowTopics, 'task.routed', c.taskId).map((e) => e.data.model)).toEqual([CANDIDATE_MODEL]);
    }
    const shadowCost = async (c: Case) => {
      // The failing task made no successful call, so it has no usage to wait for.
      const usage = await waitFor(`the shadow usage of ${c.name}`, () => {
        const u = events<LlmUsage>(shadowTopics, 'llm.usage', c.taskId);
        return u.length || c.name === 'shadow-fails' ? u : undefined;
      });
      expect(usage.every((u) => u.data.model === CANDIDATE_MODEL)).toBe(true);
      const priced = await waitFor(`the shadow spend.recorded of ${c.name}`, () => {
        const p = events<SpendRecorded>(shadowTopics, 'spend.recorded', c.taskId);
        return p.length === usage.length ? p : undefined;
      });
      expect(priced.map((p) => p.data.usageEventId).sort()).toEqual(usage.map((u) => u.eventId).sort());
      const expected = sum(priced.map((p) => p.data.costMicros));
      // Spend is recorded after the usage event; wait for the shadow cost-accountant.
      return waitFor(`the shadow spend of ${c.name}`, async () => ((await shadow.spend.taskTotal(c.taskId)) === expected ? expected : undefined));
    };
    const costs = await Promise.all(cases.map(shadowCost));
    for (const [i, c] of cases.entries()) if (c.name !== 'shadow-fails') expect(costs[i]).toBeGreaterThan(0);
    expect(await shadow.spend.tenantByModel(TENANT)).toEqual({ [CANDIDATE_MODEL]: sum(costs) });
    expect(await shadow.spend.tenantTotal(TENANT)).toBe(sum(costs));
    // The best-quality model costs far more than the cheapest on the same tasks.
    expect(sum(costs)).toBeGreaterThan(sum(cases.map((c) => liveViews.get(c.taskId)!.costMicros)));
  });

  it('reports agreement, cost, latency and escalation per side for the tenant', async () => {
    const { status, json: r } = await api<{
      tenantId: string;
      namespace: string;
      tasks: { indexed: number; compared: number; pending: number; missing: number };
      agreement: { agreed: number; rate: number; statusAgreed: number; statusRate: number };
      live: { costMicros: { total: number; mean: number }; models: Record<string, number>; latencyMs: { p50: number; p90: number }; escalationRate: number; failureRate: number };
      shadow: { costMicros: { total: number; mean: number }; models: Record<string, number>; latencyMs: { p50: number; p90: number }; escalationRate: number; failureRate: number };
      disagreements: Array<{ taskId: string; statusAgrees: boolean; live: { status: string; model: string }; shadow: { status: string; model: string } }>;
    }>('/v1/shadow/report?limit=50');
    expect(status).toBe(200);
    expect(r.tenantId).toBe(TENANT);
    expect(r.namespace).toBe(SHADOW_NAMESPACE);
    expect(r.tasks).toEqual({ indexed: 4, compared: 4, pending: 0, missing: 0 });
    expect(r.agreement).toEqual({ agreed: 2, rate: 0.5, statusAgreed: 3, statusRate: 0.75 });

    const liveTotal = sum(cases.map((c) => liveViews.get(c.taskId)!.costMicros));
    const shadowTotal = sum(await Promise.all(cases.map((c) => shadow.spend.taskTotal(c.taskId))));
    expect(r.live.costMicros).toEqual({ total: liveTotal, mean: Math.round(liveTotal / 4) });
    expect(r.shadow.costMicros).toEqual({ total: shadowTotal, mean: Math.round(shadowTotal / 4) });
    expect(r.live.models).toEqual({ [LIVE_MODEL]: 4 });
    expect(r.shadow.models).toEqual({ [CANDIDATE_MODEL]: 4 });
    expect(r.live.escalationRate + r.live.failureRate).toBe(0);
    expect(r.shadow.escalationRate + r.shadow.failureRate).toBe(0.25);
    for (const side of [r.live, r.shadow]) expect(side.latencyMs.p90).toBeGreaterThanOrEqual(side.latencyMs.p50);

    const disagreeing = Object.fromEntries(r.disagreements.map((d) => [d.taskId, d]));
    expect(Object.keys(disagreeing).sort()).toEqual([byName('differ').taskId, byName('shadow-fails').taskId].sort());
    expect(disagreeing[byName('differ').taskId]).toMatchObject({ statusAgrees: true, live: { status: 'completed', model: LIVE_MODEL }, shadow: { status: 'completed', model: CANDIDATE_MODEL } });
    expect(disagreeing[byName('shadow-fails').taskId]).toMatchObject({ statusAgrees: false, live: { status: 'completed' }, shadow: { status: shadowRecords.get(byName('shadow-fails').taskId)!.status } });

    expect((await api<{ tasks: { indexed: number } }>('/v1/shadow/report?limit=1')).json.tasks.indexed).toBe(1);
    expect((await api('/v1/shadow/report?limit=0')).status).toBe(400);
  });

  it('shows both sides of one task, to its tenant only', async () => {
    const agree = await api<{ live: TaskView; shadow: TaskView; agrees: boolean }>(`/v1/shadow/tasks/${byName('agree-1').taskId}`);
    expect(agree.status).toBe(200);
    expect(agree.json).toMatchObject({ live: { model: LIVE_MODEL, status: 'completed', result: liveViews.get(byName('agree-1').taskId)!.result }, shadow: { model: CANDIDATE_MODEL, status: 'completed' }, agrees: true });
    expect(agree.json.shadow.result).toEqual(agree.json.live.result);
    const differ = await api<{ agrees: boolean }>(`/v1/shadow/tasks/${byName('differ').taskId}`);
    expect(differ.json.agrees).toBe(false);

    expect((await api(`/v1/shadow/tasks/${byName('agree-1').taskId}`, OTHER_KEY)).status).toBe(404);
    expect((await api<{ tasks: { indexed: number } }>('/v1/shadow/report', OTHER_KEY)).json.tasks.indexed).toBe(0);
  });
});
