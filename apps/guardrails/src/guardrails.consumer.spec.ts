import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Topics, createEvent, type AuditRecorded } from '@baton/contracts';
import { BatonTransport } from '@baton/messaging';
import { InMemoryBus, startWithTransport } from '@baton/messaging/testing';
import { BUS, SERVICE_NAMESPACE, STATE_STORE, type ServiceNamespace } from '@baton/service-kit';
import type { AuditTrailEntry, StateStore, TaskRecord } from '@baton/state';
import { GUARDRAILS_CONFIG, GuardrailsConfig, OUTPUT_RULES, PERMISSION_POLICY, TOOL_REGISTRY } from './config';
import { AuditTrailConsumer } from './audit-trail.consumer';
import { GuardrailsConsumer } from './guardrails.consumer';
import { TaskIntake } from './task-intake.service';
import { ToolPolicyConsumer } from './tool-policy.consumer';
import { ToolPolicy } from './tool-policy.service';

/*
 * The guardrails' consumers (screens, tool policy, audit trail) declared with @EventPattern,
 * driven through the Baton transport on an in-memory bus, wired as the app module wires them:
 * their three consumer groups, the audit trail filed from the audit topic,
 * and a submission reusing another task's id dead-lettered without retries.
 */

describe('the guardrails consumers on the Baton transport', () => {
  let bus: InMemoryBus;
  let app: INestApplication;
  const filed: AuditTrailEntry[] = [];
  /** The task record the store holds, whatever id is asked for. */
  let existing: Partial<TaskRecord> | null = null;

  beforeEach(async () => {
    bus = new InMemoryBus();
    filed.length = 0;
    existing = null;
    const state = {
      audit: { append: async (entry: AuditTrailEntry) => void filed.push(entry) },
      tasks: { create: async () => existing === null, get: async () => existing },
    } as unknown as StateStore;
    const namespace: ServiceNamespace = { namespace: null, liveInputs: [], keyPrefix: 'test:' };
    const moduleRef = await Test.createTestingModule({
      controllers: [GuardrailsConsumer, ToolPolicyConsumer, AuditTrailConsumer],
      providers: [
        TaskIntake,
        ToolPolicy,
        { provide: BUS, useValue: bus },
        { provide: STATE_STORE, useValue: state },
        { provide: GUARDRAILS_CONFIG, useValue: GuardrailsConfig.parse({}) },
        { provide: SERVICE_NAMESPACE, useValue: namespace },
        // Not reached by these handlers.
        { provide: PERMISSION_POLICY, useValue: {} },
        { provide: TOOL_REGISTRY, useValue: {} },
        { provide: OUTPUT_RULES, useValue: {} },
      ],
    }).compile();
    app = await startWithTransport(moduleRef, new BatonTransport(bus, { groupId: 'guardrails' }));
  });

  afterEach(() => app.close());

  it('reads in three groups: the screens, the tool calls, the audit trail', () => {
    expect(bus.subscriptions()).toEqual(
      expect.arrayContaining([
        { groupId: 'guardrails', topics: [Topics.taskSubmitted, Topics.outputProposed] },
        { groupId: 'guardrails-tools', topics: [Topics.toolProposed] },
        { groupId: 'audit-trail', topics: [Topics.audit] },
      ]),
    );
    expect(bus.subscriptions()).toHaveLength(3);
  });

  it('files an audit entry of the audit topic under its task', async () => {
    const event: AuditRecorded = createEvent('audit.recorded', { tenantId: 'acme', taskId: randomUUID(), causationId: null }, { category: 'tool', actor: 'guardrails', decision: 'deny', reason: 'not allowed', subject: 'issue_refund' });
    await bus.deliver(event);
    expect(filed).toEqual([
      { eventId: event.eventId, at: event.occurredAt, tenantId: 'acme', taskId: event.taskId, category: 'tool', actor: 'guardrails', decision: 'deny', reason: 'not allowed', subject: 'issue_refund' },
    ]);
  });

  it('dead-letters a submission reusing the id of a task another event submitted, at once and publishing nothing', async () => {
    existing = { taskId: randomUUID(), tenantId: 'acme', submittedEventId: randomUUID() };
    const event = createEvent('task.submitted', { tenantId: 'acme', taskId: existing.taskId!, causationId: null }, { taskType: 'support.triage', input: { text: 'Again.' } });
    await bus.deliver(event);
    expect(bus.published).toEqual([]);
    expect(bus.deadLetters.map((d) => [d.topic, d.record.reason, d.record.attempts, d.record.consumerGroup])).toEqual([[`${Topics.taskSubmitted}.dlt`, 'duplicate_task_id', 1, 'guardrails']]);
  });
});
