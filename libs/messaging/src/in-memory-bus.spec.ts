import { randomUUID } from 'node:crypto';
import { Topics, createEvent, type BatonEvent, type TaskAdmitted } from '@baton/contracts';
import { InMemoryBus } from './in-memory-bus';

const admitted = (): TaskAdmitted => createEvent('task.admitted', { tenantId: 'acme', taskId: randomUUID(), causationId: null }, { taskType: 't.x', input: { text: 'x' }, redactions: [] });

describe('InMemoryBus', () => {
  it('hands what a handler publishes to the groups reading its topic, and idle() waits for the whole chain', async () => {
    const bus = new InMemoryBus();
    const seen: string[] = [];
    await bus.subscribe({
      groupId: 'first',
      topics: [Topics.taskAdmitted],
      handlers: {
        'task.admitted': async (e) => {
          seen.push(`first ${e.type}`);
          await bus.publish(createEvent('task.failed', { tenantId: e.tenantId, taskId: e.taskId, causationId: e.eventId }, { reason: { kind: 'user', code: 'x', message: 'x' } }));
        },
      },
    });
    await bus.subscribe({ groupId: 'second', topics: [Topics.taskFailed], handlers: { 'task.failed': async (e) => void seen.push(`second ${e.type}`) } });
    await bus.publish(admitted());
    await bus.idle();
    expect(seen).toEqual(['first task.admitted', 'second task.failed']);
    expect(bus.published.map((e) => e.type)).toEqual(['task.admitted', 'task.failed']);
  });

  it('publishes nothing of a batch holding an invalid event', async () => {
    const bus = new InMemoryBus();
    const bad = { ...admitted(), data: {} } as unknown as BatonEvent;
    await expect(bus.publishAll([admitted(), bad])).rejects.toThrow(/invalid task.admitted/);
    expect(bus.published).toEqual([]);
  });

  it('delivers nothing to a stopped group', async () => {
    const bus = new InMemoryBus();
    const seen: string[] = [];
    const sub = await bus.subscribe({ groupId: 'g', topics: [Topics.taskAdmitted], handlers: { 'task.admitted': async (e) => void seen.push(e.eventId) } });
    const first = admitted();
    await bus.deliver(first);
    await sub.stop();
    await bus.deliver(admitted());
    expect(seen).toEqual([first.eventId]);
    expect(bus.subscriptions()).toEqual([]);
  });
});
