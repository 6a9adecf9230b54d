import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Topics, canonicalHash, createEvent, type AuditRecorded, type ToolProposed, type ToolVerdict } from '@baton/contracts';
import { LOCAL_CANARY_SECRET, parsePermissionPolicy, taskCanary } from '@baton/guard';
import { defaultRegistry, toolGrantName } from '@baton/agent-tools';
import { BatonTransport } from '@baton/messaging';
import { InMemoryBus, startWithTransport } from '@baton/messaging/testing';
import { BUS, SERVICE_NAMESPACE, STATE_STORE, type ServiceNamespace } from '@baton/service-kit';
import type { StateStore, TaskRecord } from '@baton/state';
import { GUARDRAILS_CONFIG, GuardrailsConfig, PERMISSION_POLICY, TOOL_REGISTRY } from './config';
import { ToolPolicyConsumer } from './tool-policy.consumer';
import { ToolPolicy } from './tool-policy.service';

/*
 * The tool policy driven through the Baton transport on an in-memory bus: what it reads
 * (registry, task record, call ordinal, grants, namespace) and the verdict and audit entry
 * the consumer publishes for it.
 */

const POLICY = `
version: 1
default: deny
maxCallsPerTask:
  issue_refund: 1
rules:
  - id: crm-read
    tool: crm_get_account
    roles: [general]
  - id: refunds
    tool: issue_refund
    roles: [general]
    approval: { always: true }
`;

describe('ToolPolicyConsumer on the Baton transport', () => {
  let bus: InMemoryBus;
  let app: INestApplication | undefined;
  /** The task record the store holds, whatever id is asked for. */
  let task: Partial<TaskRecord> | null;
  /** The ordinal the call counter gives the call. */
  let ordinal: number;
  /** Entries of the task context (the grants of approved calls). */
  let context: Map<string, unknown>;

  async function start(namespace: string | null = null): Promise<void> {
    const state = {
      tasks: { get: async () => task },
      toolCalls: { ordinal: async () => ordinal },
      context: { get: async (_taskId: string, name: string) => context.get(name) ?? null },
    } as unknown as StateStore;
    const ns: ServiceNamespace = { namespace, liveInputs: [], keyPrefix: 'test:' };
    const tools = defaultRegistry();
    const moduleRef = await Test.createTestingModule({
      controllers: [ToolPolicyConsumer],
      providers: [
        ToolPolicy,
        { provide: BUS, useValue: bus },
        { provide: STATE_STORE, useValue: state },
        { provide: GUARDRAILS_CONFIG, useValue: GuardrailsConfig.parse({}) },
        { provide: SERVICE_NAMESPACE, useValue: ns },
        { provide: PERMISSION_POLICY, useValue: parsePermissionPolicy(POLICY, { tools }) },
        { provide: TOOL_REGISTRY, useValue: tools },
      ],
    }).compile();
    app = await startWithTransport(moduleRef, new BatonTransport(bus, { groupId: 'guardrails' }));
  }

  beforeEach(() => {
    bus = new InMemoryBus();
    task = { tenantId: 'acme', taskType: 'support.triage' };
    ordinal = 1;
    context = new Map();
    app = undefined;
  });

  afterEach(() => app?.close());

  const proposed = (tool: string, args: Record<string, unknown>, tenantId = 'acme'): ToolProposed =>
    createEvent('tool.proposed', { tenantId, taskId: randomUUID(), causationId: null }, { stepId: 'main', attempt: 1, callId: 'call-1', tool, replyTo: 'agent-1', role: 'general', sideEffect: 'read', args, flows: [] });

  /** Delivers the proposal; returns the verdict and the audit entry published for it. */
  async function decide(event: ToolProposed): Promise<{ verdict: ToolVerdict; audit: AuditRecorded }> {
    await bus.deliver(event);
    const verdict = bus.published.find((e): e is ToolVerdict => e.type === 'tool.verdict');
    const audit = bus.published.find((e): e is AuditRecorded => e.type === 'audit.recorded');
    if (!verdict || !audit) throw new Error(`expected a verdict and an audit entry, got ${bus.published.map((e) => e.type).join(', ')}`);
    return { verdict, audit };
  }

  it('reads tool proposals in a group of its own', async () => {
    await start();
    expect(bus.subscriptions()).toEqual([{ groupId: 'guardrails-tools', topics: [Topics.toolProposed] }]);
  });

  it('allows a call a rule allows, and files the decision with its rule in the audit trail', async () => {
    await start();
    const event = proposed('crm_get_account', { accountId: 'acc_1001' });
    const { verdict, audit } = await decide(event);
    expect(verdict).toMatchObject({
      taskId: event.taskId,
      causationId: event.eventId,
      data: { stepId: 'main', attempt: 1, callId: 'call-1', tool: 'crm_get_account', replyTo: 'agent-1', decision: 'allow', rule: 'crm-read', unredact: [], unredactFields: [], argsHash: canonicalHash(event.data.args) },
    });
    expect(audit.data).toMatchObject({
      category: 'tool',
      actor: 'guardrails',
      decision: 'allow',
      subject: 'crm_get_account',
      details: { callId: 'call-1', stepId: 'main', attempt: 1, role: 'general', code: 'allowed', rule: 'crm-read' },
    });
  });

  it('denies arguments that do not fit the tool\'s schema before the policy is asked', async () => {
    await start();
    const { verdict, audit } = await decide(proposed('crm_get_account', { accountId: 'not an id!' }));
    expect(verdict.data).toMatchObject({ decision: 'deny', reason: "the arguments do not fit crm_get_account's schema" });
    expect(verdict.data.rule).toBeUndefined();
    expect(audit.data.details).toEqual({ callId: 'call-1', stepId: 'main', attempt: 1, role: 'general', code: 'bad_arguments' });
  });

  it('denies a call for a task another tenant owns', async () => {
    await start();
    task = { tenantId: 'globex', taskType: 'support.triage' };
    const { verdict, audit } = await decide(proposed('crm_get_account', { accountId: 'acc_1001' }));
    expect(verdict.data).toMatchObject({ decision: 'deny', reason: 'the task belongs to another tenant' });
    expect(audit.data.details).toMatchObject({ code: 'tenant_mismatch' });
  });

  it('denies arguments carrying the task\'s canary', async () => {
    await start();
    const taskId = randomUUID();
    const event = createEvent('tool.proposed', { tenantId: 'acme', taskId, causationId: null }, {
      ...proposed('crm_get_account', {}).data,
      args: { accountId: taskCanary(LOCAL_CANARY_SECRET, taskId) },
    });
    const { verdict, audit } = await decide(event);
    expect(verdict.data.decision).toBe('deny');
    expect(audit.data.details).toMatchObject({ code: 'canary_leak' });
  });

  it('counts the task\'s earlier calls of the tool: one call more than allowed is denied', async () => {
    await start();
    ordinal = 2;
    const { verdict, audit } = await decide(proposed('issue_refund', { paymentId: 'pay_5001', amountCents: 500, currency: 'USD', reason: 'late' }));
    expect(verdict.data).toMatchObject({ decision: 'deny', rule: 'refunds' });
    expect(audit.data.details).toMatchObject({ code: 'max_calls', rule: 'refunds' });
  });

  it('asks for approval, and allows the very call a human approved', async () => {
    await start();
    const args = { paymentId: 'pay_5001', amountCents: 500, currency: 'USD', reason: 'late' };
    const first = await decide(proposed('issue_refund', args));
    expect(first.verdict.data).toMatchObject({ decision: 'approval', rule: 'refunds' });
    expect(first.audit.data.details).toMatchObject({ code: 'approval_required' });

    bus.published.length = 0;
    context.set(toolGrantName('issue_refund', args), { decidedBy: 'alice' });
    const second = await decide(proposed('issue_refund', args));
    expect(second.verdict.data).toMatchObject({ decision: 'allow', rule: 'refunds', reason: expect.stringMatching(/^approved by alice: /) });
    expect(second.audit.data.details).toMatchObject({ code: 'allowed', rule: 'refunds' });
  });

  it('records, never runs, a destructive call in a namespace (a shadow)', async () => {
    await start('shadow-1');
    const { verdict, audit } = await decide(proposed('issue_refund', { paymentId: 'pay_5001', amountCents: 500, currency: 'USD', reason: 'late' }));
    expect(verdict.data).toMatchObject({ decision: 'record', rule: 'refunds' });
    expect(audit.data.details).toMatchObject({ code: 'shadow_recorded' });
  });
});
