import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { BUDGET_POLICY, parseBudgetPolicy } from '@baton/budget';
import { Topics, createEvent, type StepRequested, type TaskRouted } from '@baton/contracts';
import { BatonTransport } from '@baton/messaging';
import { InMemoryBus, startWithTransport } from '@baton/messaging/testing';
import { BUS, STATE_STORE } from '@baton/service-kit';
import type { StateStore } from '@baton/state';
import { PLANNER_CONFIG, PlannerConfig } from './config';
import { PlannerRuns } from './planner-runs.service';
import { PlannerConsumer } from './planner.consumer';

/*
 * The planner's handlers declared with @EventPattern, driven through the Baton transport on an
 * in-memory bus and an in-memory fake of the store's run records: the group and topics it
 * reads, and a one-step task run from task.routed to task.completed.
 */

/** The parts of the state store a run of one task touches, in memory. */
function fakeStore() {
  const statuses = new Map<string, string>();
  const values = new Map<string, { value: unknown; revision: number }>();
  const fields = new Map<string, unknown>();
  const store = {
    tasks: {
      get: async (taskId: string) => (statuses.has(taskId) ? { taskId, status: statuses.get(taskId) } : null),
      transition: async (taskId: string, to: string, opts: { from?: string[] } = {}) => {
        const from = statuses.get(taskId) ?? null;
        const applied = from !== null && (!opts.from || opts.from.includes(from));
        if (applied) statuses.set(taskId, to);
        return { applied, status: statuses.get(taskId) ?? null };
      },
    },
    versioned: {
      load: async (taskId: string, name: string) => values.get(`${taskId}/${name}`) ?? { value: null, revision: 0 },
      save: async (taskId: string, name: string, value: unknown, expected: number, along: Record<string, unknown> = {}) => {
        const current = values.get(`${taskId}/${name}`)?.revision ?? 0;
        if (current !== expected) return null;
        values.set(`${taskId}/${name}`, { value: structuredClone(value), revision: current + 1 });
        for (const [f, v] of Object.entries(along)) fields.set(`${taskId}/${f}`, structuredClone(v));
        return current + 1;
      },
      field: async (taskId: string, field: string) => fields.get(`${taskId}/${field}`) ?? null,
      dropField: async (taskId: string, field: string) => void fields.delete(`${taskId}/${field}`),
    },
    deadlines: { schedule: async () => undefined, clear: async () => undefined },
  };
  return { store: store as unknown as StateStore, statuses };
}

describe('PlannerConsumer on the Baton transport', () => {
  let bus: InMemoryBus;
  let app: INestApplication;
  let statuses: Map<string, string>;

  beforeEach(async () => {
    bus = new InMemoryBus();
    const fake = fakeStore();
    statuses = fake.statuses;
    const moduleRef = await Test.createTestingModule({
      controllers: [PlannerConsumer],
      providers: [
        PlannerRuns,
        { provide: BUS, useValue: bus },
        { provide: STATE_STORE, useValue: fake.store },
        { provide: PLANNER_CONFIG, useValue: PlannerConfig.parse({}) },
        { provide: BUDGET_POLICY, useValue: parseBudgetPolicy({ version: 1, task: { maxUsd: 1 }, tenants: { default: {} } }) },
      ],
    }).compile();
    app = await startWithTransport(moduleRef, new BatonTransport(bus, { groupId: 'planner' }));
  });

  afterEach(() => app.close());

  it('reads every event that moves a run, in the planner group', () => {
    expect(bus.subscriptions()).toEqual([
      {
        groupId: 'planner',
        topics: [Topics.taskRouted, Topics.outputApproved, Topics.outputBlocked, Topics.stepFailed, Topics.stepHandoff, Topics.planRouted, Topics.taskDecision],
      },
    ]);
  });

  it('runs a one-step task: requests the step on task.routed and completes the task on its approved output', async () => {
    const taskId = randomUUID();
    statuses.set(taskId, 'routed');
    const routed: TaskRouted = createEvent('task.routed', { tenantId: 'acme', taskId, causationId: null }, {
      taskType: 'ticket.summarize',
      input: { text: 'The printer jams.' },
      pattern: 'single',
      role: 'general',
      model: 'sim-mini',
      instruction: 'Summarise the ticket.',
      decision: { policy: 'cheapest', candidates: [], reason: 'test' },
    });
    await bus.deliver(routed);
    const step = bus.published.find((e): e is StepRequested => e.type === 'step.requested');
    expect(step).toMatchObject({ causationId: routed.eventId, data: { role: 'general', model: 'sim-mini', attempt: 1 } });
    expect(statuses.get(taskId)).toBe('running');

    await bus.deliver(createEvent('output.approved', { tenantId: 'acme', taskId, causationId: step!.eventId }, { stepId: step!.data.stepId, attempt: 1, output: 'A short summary.' }));
    expect(statuses.get(taskId)).toBe('completed');
    expect(bus.published.map((e) => e.type)).toEqual(['step.requested', 'task.completed']);
    expect(bus.published[1]).toMatchObject({ data: { result: 'A short summary.', attempts: 1 } });
    expect(bus.deadLetters).toEqual([]);
  });
});
