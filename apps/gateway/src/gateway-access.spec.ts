import { Module, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { NestFactory, Reflector } from '@nestjs/core';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { ALL_ROLES, ApiKeyTable, hashApiKey, type Role } from '@baton/api-keys';
import { parseBudgetPolicy, BUDGET_POLICY } from '@baton/budget';
import type { TaskDecision } from '@baton/contracts';
import { BUS, STATE_STORE } from '@baton/service-kit';
import type { DecisionInput, EscalationChange, EscalationRecord } from '@baton/state';
import { AllowRoles } from './access';
import { API_KEYS, GATEWAY_CONFIG, GatewayConfig } from './config';
import { DeadLettersController } from './dead-letters.controller';
import { EscalationsController } from './escalations.controller';
import { SHADOW_CONFIG, SHADOW_STATE } from './shadow.config';
import { ShadowController } from './shadow.controller';
import { TasksController } from './tasks.controller';

// The gateway's controllers behind the real guard, over HTTP, with Kafka and Redis faked:
// who may call what is checked where it is enforced, on every route the code declares,
// against the table docs/api-keys.md publishes.

const CONTROLLERS = [TasksController, EscalationsController, DeadLettersController, ShadowController];
const TASK = '0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b';
const ESC = '9b2f7c1e-5a4d-5e3f-8a1b-2c3d4e5f6a7b';

/** One acme key per role, and one holding two. */
const KEY: Record<Role | 'submitterViewer', string> = {
  submitter: 'acme-submitter-secret',
  reviewer: 'acme-reviewer-secret',
  viewer: 'acme-viewer-secret',
  admin: 'acme-admin-secret',
  submitterViewer: 'acme-submitter-viewer-secret',
};
const table = ApiKeyTable.of([
  ...ALL_ROLES.map((role) => ({ id: `acme-${role}`, tenant: 'acme', roles: [role], sha256: hashApiKey(KEY[role]) })),
  { id: 'acme-crm', tenant: 'acme', roles: ['submitter', 'viewer'], sha256: hashApiKey(KEY.submitterViewer) },
]);

const openEscalation = (): EscalationRecord => ({
  escalationId: ESC,
  taskId: TASK,
  tenantId: 'acme',
  taskType: 'payment.dispute',
  stopReason: 'approval_required',
  reason: { kind: 'policy', code: 'approval_required', message: 'issue_refund over the threshold needs a human' },
  allowed: ['approve', 'reject'],
  bundle: { question: 'Refund 200 USD?', history: [], stepOutputs: {}, spentMicros: 5, stepsRun: 1 },
  createdAt: '2025-03-01T12:00:00.000Z',
  expiresAt: '2099-03-02T12:00:00.000Z',
  onTimeout: 'fail',
  status: 'open',
});

/** The escalation store's first-decision-wins rule, in memory. */
class FakeEscalations {
  decided: DecisionInput[] = [];
  record: EscalationRecord | null = openEscalation();
  async get(taskId: string) {
    return this.record?.taskId === taskId ? structuredClone(this.record) : null;
  }
  async listOpen() {
    return [];
  }
  async decide(_taskId: string, escalationId: string, d: DecisionInput): Promise<EscalationChange> {
    const r = this.record;
    if (!r || r.escalationId !== escalationId) return { applied: false, record: null };
    if (r.status !== 'open') return { applied: false, record: structuredClone(r) };
    this.decided.push(d);
    this.record = { ...r, status: 'decided', decision: { ...d, decidedAt: '2025-03-01T13:00:00.000Z' } };
    return { applied: true, record: structuredClone(this.record) };
  }
  async markPublished(): Promise<void> {
    // Nothing waits on the outbox here.
  }
  async unpublishedDecisions() {
    return [];
  }
}

let app: INestApplication;
let base: string;
let escalations: FakeEscalations;
const published: TaskDecision[] = [];

beforeAll(async () => {
  escalations = new FakeEscalations();
  const state = {
    tasks: { get: async () => null },
    escalations,
    spend: { tenantTotal: async () => 0, tenantByModel: async () => ({}), tenantByDay: async () => 0, taskTotal: async () => 0 },
    budgets: { scope: async () => ({ spentMicros: 0, reservedMicros: 0 }) },
    context: { getAll: async () => ({}), get: async () => null },
  };
  const bus = {
    publish: async (e: TaskDecision) => void published.push(e),
    listDeadLetters: async () => [],
    getDeadLetter: async () => null,
  };

  @Module({
    controllers: CONTROLLERS,
    providers: [
      { provide: API_KEYS, useValue: table },
      { provide: BUS, useValue: bus },
      { provide: STATE_STORE, useValue: state },
      { provide: SHADOW_STATE, useValue: state },
      { provide: SHADOW_CONFIG, useValue: { REDIS_URL: 'redis://127.0.0.1:6399', BATON_SHADOW_NAMESPACE: 'shadow' } },
      { provide: GATEWAY_CONFIG, useValue: GatewayConfig.parse({}) },
      { provide: BUDGET_POLICY, useValue: parseBudgetPolicy({ version: 1, task: { maxUsd: 1 }, tenants: { default: {} } }, 'test policy') },
    ],
  })
  class TestModule {}

  app = await NestFactory.create(TestModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
});

async function call(method: string, route: string, key: string | undefined, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** `METHOD /path` of every handler of the controllers, with the roles it declares (admin added). */
function declaredRoutes(): Map<string, Role[]> {
  const reflector = new Reflector();
  const routes = new Map<string, Role[]>();
  for (const controller of CONTROLLERS) {
    const prefix = String(Reflect.getMetadata(PATH_METADATA, controller));
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as unknown as Record<string, unknown>)[name];
      if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
      const method = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'][Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const sub = String(Reflect.getMetadata(PATH_METADATA, handler));
      const route = `${method} /${[prefix, sub].filter((p) => p && p !== '/').join('/')}`;
      const allowed = reflector.get(AllowRoles, handler as () => unknown) ?? [];
      routes.set(route, [...new Set<Role>([...allowed, 'admin'])].sort());
    }
  }
  return routes;
}

/** The route table of docs/api-keys.md: route → the roles ticked. */
function documentedRoutes(): Map<string, Role[]> {
  const doc = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'api-keys.md'), 'utf8');
  const lines = doc.split('\n');
  const header = lines.findIndex((l) => l.startsWith('| route |'));
  const roles = lines[header].split('|').slice(2, -1).map((c) => c.trim()) as Role[];
  const routes = new Map<string, Role[]>();
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    routes.set(cells[0].replace(/`/g, ''), roles.filter((_, i) => cells[i + 1] === '✓').sort());
  }
  return routes;
}

/** A request path for a route pattern: its parameters filled with values of the right shape. */
const concrete = (route: string): string =>
  route
    .split(' ')[1]
    .replace(/:(id|taskId)/g, TASK)
    .replace(':topic', 'baton.task.submitted')
    .replace(':partition', '0')
    .replace(':offset', '5');

describe('the route table', () => {
  it('docs/api-keys.md lists every route the gateway declares, with the roles the code allows', () => {
    const documented = documentedRoutes();
    expect(documented.size).toBeGreaterThanOrEqual(12);
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(declaredRoutes()));
  });

  it('every route answers 403 exactly to the roles the table leaves out, and lets the others through', async () => {
    const actual: string[] = [];
    const expected: string[] = [];
    for (const [route, allowed] of documentedRoutes()) {
      const method = route.split(' ')[0];
      for (const role of ALL_ROLES) {
        // An empty body: a route that takes one answers 400 once past the guard, which is all this checks.
        const { status, json } = await call(method, concrete(route), KEY[role], method === 'POST' ? {} : undefined);
        actual.push(`${route} as ${role}: ${status === 403 ? `refused (${String(json.error)})` : status === 401 ? 'unauthenticated' : 'let through'}`);
        expected.push(`${route} as ${role}: ${allowed.includes(role) ? 'let through' : 'refused (forbidden)'}`);
      }
    }
    expect(actual).toEqual(expected);
  });

  it('a key with two roles may call what either allows', async () => {
    expect((await call('GET', '/v1/spend', KEY.submitterViewer)).status).toBe(200);
    expect((await call('GET', '/v1/shadow/report', KEY.submitterViewer)).status).toBe(200);
    expect((await call('GET', '/v1/escalations', KEY.submitterViewer)).status).toBe(200);
    expect((await call('GET', '/v1/dead-letters', KEY.submitterViewer)).status).toBe(403);
  });

  it('answers 401, not 403, to a missing or unknown key on every route', async () => {
    for (const route of documentedRoutes().keys()) {
      const method = route.split(' ')[0];
      expect([route, (await call(method, concrete(route), undefined)).status]).toEqual([route, 401]);
      expect([route, (await call(method, concrete(route), 'not-a-key-of-anyone')).json]).toEqual([route, expect.objectContaining({ error: 'unauthorized' })]);
    }
  });

  it('takes the key as a bearer token too', async () => {
    expect((await call('GET', '/v1/escalations', undefined, undefined, { authorization: `Bearer ${KEY.reviewer}` })).status).toBe(200);
    expect((await call('GET', '/v1/dead-letters', undefined, undefined, { authorization: `Bearer ${KEY.reviewer}` })).status).toBe(403);
  });
});

describe('deciding an escalation', () => {
  beforeEach(() => {
    escalations.record = openEscalation();
    escalations.decided = [];
    published.length = 0;
  });

  it('a submitter key cannot approve a held refund, even naming someone else as the decider: 403 naming the reviewer role, nothing recorded', async () => {
    const res = await call('POST', `/v1/escalations/${TASK}/decision`, KEY.submitter, { action: 'approve', decidedBy: 'cfo' });
    expect(res).toEqual({
      status: 403,
      json: {
        error: 'forbidden',
        message: 'POST /v1/escalations/:taskId/decision needs the reviewer role; this key has submitter',
        requiredRoles: ['reviewer', 'admin'],
        keyRoles: ['submitter'],
      },
    });
    expect(escalations.decided).toEqual([]);
    expect(published).toEqual([]);
    expect(escalations.record?.status).toBe('open');
  });

  it('refuses a decidedBy in the body with 400 naming the field, and records nothing', async () => {
    const res = await call('POST', `/v1/escalations/${TASK}/decision`, KEY.reviewer, { action: 'approve', decidedBy: 'cfo' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'invalid_request', issues: [{ path: 'decidedBy', message: expect.stringMatching(/no longer accepted/) }] });
    expect(escalations.decided).toEqual([]);
    expect(published).toEqual([]);
  });

  it('records the key that decided as decidedBy, in the answer, the escalation and the task.decision event', async () => {
    const res = await call('POST', `/v1/escalations/${TASK}/decision`, KEY.reviewer, { action: 'approve', comment: 'Dana checked the parcel photos' });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ decision: { action: 'approve', decidedBy: 'key:acme-reviewer', comment: 'Dana checked the parcel photos' } });
    expect(escalations.decided).toEqual([{ action: 'approve', decidedBy: 'key:acme-reviewer', comment: 'Dana checked the parcel photos' }]);
    expect(published.map((e) => e.data.decidedBy)).toEqual(['key:acme-reviewer']);
    const view = await call('GET', `/v1/escalations/${TASK}`, KEY.viewer);
    expect(view.json).toMatchObject({ status: 'decided', decision: { decidedBy: 'key:acme-reviewer' } });
  });
});
