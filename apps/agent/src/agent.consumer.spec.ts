import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Topics, createEvent, stepRequestedTopic, type StepRequested, type ToolVerdict } from '@baton/contracts';
import { BatonTransport, type HandlerContext } from '@baton/messaging';
import { InMemoryBus, startWithTransport } from '@baton/messaging/testing';
import { STATE_STORE } from '@baton/service-kit';
import type { StateStore } from '@baton/state';
import { AgentConsumer, agentConsumerGroups } from './agent.consumer';
import { StepRunner } from './step-runner.service';
import { VerdictInbox } from './verdict-inbox';

/*
 * The agent's handlers declared with @EventPattern, driven through the Baton transport on an
 * in-memory bus: one consumer group per role and one of the instance on the verdicts, a
 * verdict reaching the step that waits for it, and a requested step run once under its lease.
 */

const INSTANCE = 'host-1-abcd1234';

describe('AgentConsumer on the Baton transport', () => {
  let bus: InMemoryBus;
  let app: INestApplication;
  let inbox: VerdictInbox;
  const runs: Array<{ event: StepRequested; ctx: HandlerContext }> = [];
  const leases: string[] = [];

  beforeEach(async () => {
    bus = new InMemoryBus();
    inbox = new VerdictInbox(INSTANCE);
    runs.length = 0;
    leases.length = 0;
    const state = {
      leases: {
        acquire: async (_taskId: string, workId: string) => {
          leases.push(`acquire ${workId}`);
          return 'acquired';
        },
        renew: async () => true,
        finish: async (_taskId: string, workId: string) => void leases.push(`finish ${workId}`),
      },
    } as unknown as StateStore;
    const moduleRef = await Test.createTestingModule({
      controllers: [AgentConsumer],
      providers: [
        { provide: VerdictInbox, useValue: inbox },
        { provide: STATE_STORE, useValue: state },
        // The conversation itself is the runner's (its own specs and the int-spec cover it).
        { provide: StepRunner, useValue: { run: async (event: StepRequested, ctx: HandlerContext) => void runs.push({ event, ctx }) } },
      ],
    }).compile();
    const groups = agentConsumerGroups(['general', 'sales'], INSTANCE);
    app = await startWithTransport(moduleRef, new BatonTransport(bus, { groupId: 'agent-general+sales', groups }));
  });

  afterEach(() => app.close());

  it('reads each role\'s step topic in a group of the role, and the verdicts in a group of this instance', () => {
    expect(bus.subscriptions()).toEqual([
      { groupId: `agent-verdicts-${INSTANCE}`, topics: [Topics.toolVerdict] },
      { groupId: 'agent-general', topics: [stepRequestedTopic('general')] },
      { groupId: 'agent-sales', topics: [stepRequestedTopic('sales')] },
    ]);
  });

  it('hands a verdict addressed to this instance to the step waiting for it', async () => {
    const callId = randomUUID();
    const waiting = inbox.expect(callId, 5_000);
    const verdict: ToolVerdict = createEvent('tool.verdict', { tenantId: 'acme', taskId: randomUUID(), causationId: null }, {
      stepId: 'main',
      attempt: 1,
      callId,
      tool: 'crm_lookup',
      replyTo: INSTANCE,
      decision: 'allow',
      reason: 'allowed for the role',
      unredact: [],
      unredactFields: [],
      argsHash: 'h',
    });
    await bus.deliver(verdict);
    await expect(waiting).resolves.toMatchObject({ callId, decision: 'allow' });
  });

  it('runs a requested step under its lease, with the message\'s context to heartbeat on', async () => {
    const step: StepRequested = createEvent('step.requested', { tenantId: 'acme', taskId: randomUUID(), causationId: null }, {
      stepId: 'main',
      attempt: 1,
      role: 'sales',
      model: 'sim-mini',
      instruction: 'Score the lead.',
      input: { text: 'A lead.' },
    });
    await bus.deliver(step);
    expect(runs.map((r) => [r.event.eventId, r.ctx.topic, typeof r.ctx.heartbeat])).toEqual([[step.eventId, stepRequestedTopic('sales'), 'function']]);
    expect(leases).toEqual([`acquire ${step.eventId}`, `finish ${step.eventId}`]);
  });
});
