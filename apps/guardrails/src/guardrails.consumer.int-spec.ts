import { randomUUID } from 'node:crypto';
import { createEvent, type BatonEvent, type TaskSubmitted } from '@baton/contracts';
import type { MessageBus } from '@baton/messaging';
import type { ServiceNamespace } from '@baton/service-kit';
import { ShadowIndex } from '@baton/shadow';
import { useStateTestEnv } from '@baton/state/testing';
import { GuardrailsConfig } from './config';
import { GuardrailsConsumer } from './guardrails.consumer';
import { TaskIntake } from './task-intake.service';

/** A bus that keeps what is published. */
class FakeBus {
  readonly published: BatonEvent[] = [];
  async publish(event: BatonEvent): Promise<void> {
    this.published.push(event);
  }
  async publishAll(events: BatonEvent[]): Promise<void> {
    this.published.push(...events);
  }
}

describe('GuardrailsConsumer task.submitted (real Redis)', () => {
  const env = useStateTestEnv('guardrails-int');
  let bus: FakeBus;
  let consumer: GuardrailsConsumer;
  const handle = (event: TaskSubmitted): Promise<void> => consumer.onSubmitted(event);

  beforeAll(() => {
    bus = new FakeBus();
    const namespace: ServiceNamespace = { namespace: null, liveInputs: [], keyPrefix: env.prefix };
    consumer = new GuardrailsConsumer(bus as unknown as MessageBus, env.store, GuardrailsConfig.parse({}), new TaskIntake(env.store, namespace), {} as never);
  });

  const submitted = (taskId: string, text = 'Summarise the March invoice dispute.'): TaskSubmitted =>
    createEvent('task.submitted', { tenantId: 'acme', taskId, causationId: null }, { taskType: 'support.triage', input: { text } });

  it('an upstream task.submitted reusing a task id with a new event id is refused as duplicate_task_id and leaves the task as it was', async () => {
    const taskId = randomUUID();
    const first = submitted(taskId);
    await handle(first);
    await env.store.tasks.transition(taskId, 'running');
    const before = await env.store.tasks.get(taskId);
    bus.published.length = 0;

    const second = submitted(taskId, 'Something else entirely.');
    await expect(handle(second)).rejects.toMatchObject({ reason: 'duplicate_task_id', message: expect.stringContaining(first.eventId) });
    expect(bus.published).toEqual([]);
    expect(await env.store.tasks.get(taskId)).toEqual(before);
  });

  it('a redelivery of the submitting event itself is handled again as before', async () => {
    const taskId = randomUUID();
    const first = submitted(taskId);
    await handle(first);
    bus.published.length = 0;
    await handle(first);
    expect(bus.published.map((e) => e.type)).toEqual(['audit.recorded', 'task.admitted']);
  });

  it('a task.submitted nested 3,600 levels deep straight from Kafka ends rejected (input_too_deep), not stuck in submitted', async () => {
    const taskId = randomUUID();
    let deep: unknown[] = [];
    for (let i = 1; i < 3_600; i++) deep = [deep];
    const event = createEvent('task.submitted', { tenantId: 'acme', taskId, causationId: null }, { taskType: 'support.triage', input: { text: 'x', data: { deep } } });
    bus.published.length = 0;
    await handle(event);
    expect((await env.store.tasks.get(taskId))?.status).toBe('rejected');
    const rejected = bus.published.find((e) => e.type === 'task.rejected');
    expect(rejected).toMatchObject({ taskId, data: { stage: 'input', reason: { kind: 'user', code: 'input_too_deep', message: expect.stringContaining('the limit is 64') } } });
  });

  it('in a namespace (a shadow), a submitted task gets a record of its own and is indexed for the shadow report', async () => {
    const tenantId = `shadow-${randomUUID().slice(0, 8)}`;
    const namespace: ServiceNamespace = { namespace: 'shadow-it', liveInputs: [], keyPrefix: env.prefix };
    const shadow = new GuardrailsConsumer(bus as unknown as MessageBus, env.store, GuardrailsConfig.parse({}), new TaskIntake(env.store, namespace), {} as never);
    const event = createEvent('task.submitted', { tenantId, taskId: randomUUID(), causationId: null }, { taskType: 'support.triage', input: { text: 'Summarise the March invoice dispute.' } });
    await shadow.onSubmitted(event);
    expect(await env.store.tasks.get(event.taskId)).toMatchObject({ tenantId, status: 'admitted', submittedEventId: event.eventId });
    expect(await new ShadowIndex(env.store.context).latest(tenantId, 10)).toEqual([{ taskId: event.taskId, at: Date.parse(event.occurredAt) }]);
  });
});
