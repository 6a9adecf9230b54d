import { randomUUID } from 'node:crypto';
import { parseBudgetPolicy } from '@baton/budget';
import { createEvent, stepRequestedTopic, Topics, type BatonEvent, type Plan, type TaskRouted } from '@baton/contracts';
import { MessageBus } from '@baton/messaging';
import { KafkaTestClient, LogCollector, testBrokers, waitFor, type TopicCollector } from '@baton/messaging/testing';
import { useStateTestEnv } from '@baton/state/testing';
import { PlannerConfig } from './config';
import { DeadlineSweeper } from './deadline-sweeper.service';
import { PlannerRuns } from './planner-runs.service';
import { PlannerConsumer } from './planner.consumer';

/*
 * The planner's crash windows, driven through its handlers against a real Redis and a real
 * Kafka (a namespace of its own): concurrent events of one task, a redelivered task.routed,
 * and a crash between saving the run and publishing its events.
 */

const TENANT = 'acme';

/** Two independent steps, then a third that needs both. */
const PARALLEL_PLAN: Plan = {
  steps: [
    { id: 'a', role: 'research', instruction: 'Find the facts.', model: 'sim-mini' },
    { id: 'b', role: 'sales', instruction: 'Score the lead.', model: 'sim-mini' },
    { id: 'c', role: 'general', instruction: 'Sum it up.', model: 'sim-mini', dependsOn: ['a', 'b'] },
  ],
};

function routedEvent(taskId: string, plan: Plan = PARALLEL_PLAN): TaskRouted {
  return createEvent('task.routed', { tenantId: TENANT, taskId, causationId: null }, {
    taskType: 'lead.qualify',
    input: { text: 'A lead' },
    pattern: 'workflow',
    role: plan.steps[0].role,
    model: 'sim-mini',
    plan,
    instruction: 'Qualify the lead.',
    decision: { policy: 'cheapest', candidates: [], reason: 'test' },
  });
}

function approved(taskId: string, stepId: string, output: unknown, attempt = 1): BatonEvent {
  return createEvent('output.approved', { tenantId: TENANT, taskId, causationId: null }, { stepId, attempt, output });
}

function failed(taskId: string, stepId: string, attempt = 1): BatonEvent {
  return createEvent('step.failed', { tenantId: TENANT, taskId, causationId: null }, {
    stepId,
    attempt,
    error: { kind: 'model', code: 'model_error', message: 'the model failed' },
  });
}

describe('planner handlers (real Redis and Kafka)', () => {
  const env = useStateTestEnv('planner-int');
  const ns = `p${randomUUID().slice(0, 8)}`;
  const kafka = new KafkaTestClient();
  let bus: MessageBus;
  let planner: PlannerConsumer;
  let sweeper: DeadlineSweeper;
  let out: TopicCollector;

  beforeAll(async () => {
    bus = new MessageBus({ brokers: testBrokers(), clientId: 'planner-int', namespace: ns, logger: new LogCollector() });
    const topics = [Topics.taskCompleted, Topics.taskFailed, Topics.taskEscalated, Topics.planProposed, Topics.audit, ...['research', 'sales', 'general'].map((r) => stepRequestedTopic(r as 'research'))];
    await bus.ensureTopics(topics, { partitions: 3 });
    await bus.connect();
    out = await kafka.collect(topics.map((t) => t.replace(/^baton\./, `baton.${ns}.`)));
    const runs = new PlannerRuns(bus, env.store);
    planner = new PlannerConsumer(runs, env.store, PlannerConfig.parse({}), parseBudgetPolicy({ version: 1, task: { maxUsd: 1 }, tenants: { default: {} } }));
    sweeper = new DeadlineSweeper(runs, bus, env.store, PlannerConfig.parse({}));
  });

  afterAll(async () => {
    await kafka.close();
    await bus.close();
  });

  /** A task record in `routed`, as the router leaves it. */
  async function routedTask(): Promise<string> {
    const taskId = randomUUID();
    await env.store.tasks.create({ taskId, tenantId: TENANT, taskType: 'lead.qualify', traceId: null });
    for (const status of ['admitted', 'routed'] as const) await env.store.tasks.transition(taskId, status);
    return taskId;
  }

  const requested = (taskId: string) => out.records.map((r) => r.json<BatonEvent>()).filter((e) => e.taskId === taskId && e.type === 'step.requested');
  const audits = (taskId: string) =>
    out.records
      .map((r) => r.json<BatonEvent>())
      .filter((e) => e.taskId === taskId && e.type === 'audit.recorded' && (e.data as { category: string }).category === 'human')
      .map((e) => e.data);
  const stepIdsRequested = (taskId: string) => requested(taskId).map((e) => (e.data as { stepId: string }).stepId);

  it('loses no update when two steps of one task finish at the same moment (events on two topics)', async () => {
    const taskId = await routedTask();
    await planner['onRouted'](routedEvent(taskId));
    await waitFor(() => stepIdsRequested(taskId).length >= 2, { description: 'steps a and b requested' });
    // Step a is approved while step b fails, each on its own topic: two handlers run together.
    await Promise.all([planner['onApproved'](approved(taskId, 'a', { facts: 1 }) as never), planner['onSetback'](failed(taskId, 'b') as never, 'failed', 'model_error: the model failed', 'model_error')]);
    await planner['onApproved'](approved(taskId, 'b', { score: 9 }, 2) as never);
    // Both a's approval and b's retry count: c is requested once a and b are done.
    await waitFor(() => stepIdsRequested(taskId).includes('c'), { description: 'step c requested', timeoutMs: 10_000 });
  });

  it('does not restart a running task when its task.routed is delivered again', async () => {
    const taskId = await routedTask();
    const routed = routedEvent(taskId);
    await planner['onRouted'](routed);
    await planner['onApproved'](approved(taskId, 'a', { facts: 1 }) as never);
    // The same task.routed again (a redelivery after a crash): the run must keep a's output.
    await planner['onRouted'](routed);
    await planner['onApproved'](approved(taskId, 'b', { score: 9 }) as never);
    await waitFor(() => stepIdsRequested(taskId).includes('c'), { description: 'step c requested', timeoutMs: 10_000 });
    expect(stepIdsRequested(taskId).filter((s) => s === 'a')).toHaveLength(1);
  });

  it('replays the same events when it crashed between saving the run and publishing', async () => {
    const taskId = await routedTask();
    await planner['onRouted'](routedEvent(taskId));
    const event = approved(taskId, 'a', { facts: 1 });
    await planner['onApproved'](approved(taskId, 'b', { score: 2 }) as never);
    // The first handling of a's approval dies after the run is saved but before anything is published.
    const publish = bus.publish.bind(bus);
    const crashing = jest.spyOn(bus, 'publish').mockImplementationOnce(() => Promise.reject(new Error('process killed')));
    await expect(planner['onApproved'](event as never)).rejects.toThrow('process killed');
    // The run was saved with the event applied, and its actions wait in the outbox.
    const saved = await env.store.versioned.load<{ applied: string[] }>(taskId, 'run');
    expect(saved.value?.applied).toContain(event.eventId);
    expect(await env.store.versioned.field(taskId, `run:outbox:${event.eventId}`)).toEqual([expect.objectContaining({ type: 'dispatch' })]);
    crashing.mockImplementation(publish);
    // Redelivered: the same step.requested for c is published, with the id the first try would have used.
    await planner['onApproved'](event as never);
    await waitFor(() => stepIdsRequested(taskId).includes('c'), { description: 'step c requested after the redelivery', timeoutMs: 10_000 });
    expect(await env.store.versioned.field(taskId, `run:outbox:${event.eventId}`)).toBeNull();
    crashing.mockRestore();
  });

  // A chaos run once left a task `escalated` for good although its escalation was decided and
  // the run had gone on: the escalation's announcement failed after the record was open (the
  // planner died), the reviewer decided at once, the run resumed, and the redelivered cause
  // then carried out its escalate action again and moved the running task back to escalated.
  it('does not move a resumed task back to escalated when the escalating cause is redelivered', async () => {
    const taskId = await routedTask();
    await planner['onRouted'](routedEvent(taskId, { steps: [{ id: 'a', role: 'research', instruction: 'Find the facts.', model: 'sim-mini' }] }));
    for (const attempt of [1, 2]) await planner['onSetback'](failed(taskId, 'a', attempt) as never, 'failed', 'model_error: the model failed', 'model_error');
    const third = failed(taskId, 'a', 3);
    const publish = bus.publish.bind(bus);
    // The third failure escalates; the process dies as it announces the escalation.
    const crashing = jest.spyOn(bus, 'publish').mockImplementation((e: BatonEvent) => (e.type === 'task.escalated' ? Promise.reject(new Error('process killed')) : publish(e)));
    await expect(planner['onSetback'](third as never, 'failed', 'model_error: the model failed', 'model_error')).rejects.toThrow('process killed');
    crashing.mockRestore();
    const escalation = await env.store.escalations.get(taskId);
    expect(escalation?.status).toBe('open');
    // A reviewer decides at once; the planner resumes the run.
    const decision = { action: 'approve' as const, decidedBy: 'key:acme-ops' };
    await env.store.escalations.decide(taskId, escalation!.escalationId, decision);
    await planner['onDecision'](createEvent('task.decision', { tenantId: TENANT, taskId, causationId: null }, { escalationId: escalation!.escalationId, ...decision }) as never);
    expect((await env.store.tasks.get(taskId))?.status).toBe('running');
    // The escalating cause comes again (its offset was never committed).
    await planner['onSetback'](third as never, 'failed', 'model_error: the model failed', 'model_error');
    expect((await env.store.tasks.get(taskId))?.status).toBe('running');
    await planner['onApproved'](approved(taskId, 'a', { facts: 1 }, 4) as never);
    expect((await env.store.tasks.get(taskId))?.status).toBe('completed');
  });

  // The audit trail promised every human decision, but only tool approvals showed there.
  it('puts a human decision on the audit trail once, with who decided and what', async () => {
    const taskId = await routedTask();
    await planner['onRouted'](routedEvent(taskId, { steps: [{ id: 'a', role: 'research', instruction: 'Find the facts.', model: 'sim-mini' }] }));
    for (const attempt of [1, 2, 3]) await planner['onSetback'](failed(taskId, 'a', attempt) as never, 'failed', 'model_error: the model failed', 'model_error');
    const escalation = await env.store.escalations.get(taskId);
    const decision = { action: 'answer' as const, answer: 'Use the 2024 figures.', decidedBy: 'key:acme-ops', comment: 'checked with finance' };
    await env.store.escalations.decide(taskId, escalation!.escalationId, decision);
    const event = createEvent('task.decision', { tenantId: TENANT, taskId, causationId: null }, { escalationId: escalation!.escalationId, ...decision });
    await planner['onDecision'](event as never);
    await planner['onDecision'](event as never);
    await waitFor(() => audits(taskId).length > 0, { description: 'the decision audited' });
    await new Promise((r) => setTimeout(r, 300));
    expect(audits(taskId)).toEqual([
      expect.objectContaining({ category: 'human', actor: 'key:acme-ops', decision: 'answer', subject: escalation!.escalationId, reason: expect.stringContaining('checked with finance') }),
    ]);
  });

  it('ends a task stuck before it started (admitted, never routed) once its deadline from submission passed', async () => {
    const taskId = randomUUID();
    await env.store.tasks.create({ taskId, tenantId: TENANT, taskType: 'lead.qualify', traceId: null, deadlineAt: Date.now() - 1 });
    await env.store.tasks.transition(taskId, 'admitted');
    await sweeper['sweep']();
    const task = await env.store.tasks.get(taskId);
    expect(task?.status).toBe('failed');
    await waitFor(() => out.records.some((r) => r.json<BatonEvent>().taskId === taskId && r.json<BatonEvent>().type === 'task.failed'), { description: 'task.failed published' });
    const failedEvent = out.records.map((r) => r.json<BatonEvent>()).find((e) => e.taskId === taskId && e.type === 'task.failed');
    expect(failedEvent?.data).toMatchObject({ stopReason: 'not_started' });
    // A task.routed that comes after all does not start it.
    await planner['onRouted'](routedEvent(taskId));
    expect((await env.store.tasks.get(taskId))?.status).toBe('failed');
    expect(stepIdsRequested(taskId)).toEqual([]);
  });

  it('carries out a deadline stop the sweep saved but could not announce (a crash or broker error after the status moved)', async () => {
    const taskId = await routedTask();
    const routed = routedEvent(taskId);
    await planner['onRouted']({ ...routed, data: { ...routed.data, limits: { deadlineSeconds: 1 } } });
    await new Promise((r) => setTimeout(r, 1_100));
    const publish = bus.publish.bind(bus);
    const failing = jest.spyOn(bus, 'publish').mockImplementationOnce(() => Promise.reject(new Error('broker down')));
    await expect(sweeper['sweepTask'](taskId)).rejects.toThrow('broker down');
    failing.mockImplementation(publish);
    // The task is already failed, but nobody heard of it yet: the next sweep announces it.
    expect((await env.store.tasks.get(taskId))?.status).toBe('failed');
    await sweeper['sweep']();
    await waitFor(() => out.records.some((r) => r.json<BatonEvent>().taskId === taskId && r.json<BatonEvent>().type === 'task.failed'), { description: 'task.failed published by the next sweep' });
    failing.mockRestore();
  });
});
