import { randomUUID } from 'node:crypto';
import { EventParseError, createEvent, type BatonEvent } from '@baton/contracts';
import { MessageBus, stopInPhases } from './message-bus';
import { LogCollector } from './testing';

// Nothing listens on port 1: these cases must fail or finish before any network call.
const offline = () => new MessageBus({ brokers: ['127.0.0.1:1'], clientId: 'unit', logger: new LogCollector() });

describe('MessageBus without a broker', () => {
  it('rejects an invalid event before connecting', async () => {
    const event = createEvent('task.submitted', { tenantId: 'acme', taskId: randomUUID(), causationId: null }, { taskType: 'x', input: { text: 'y' } });
    const bad = { ...event, tenantId: 'Not A Tenant' } as BatonEvent;
    await expect(offline().publish(bad)).rejects.toThrow(EventParseError);
    await expect(offline().publishAll([event, bad])).rejects.toThrow(/tenantId/);
  });

  it('rejects an invalid retry policy at construction', () => {
    expect(() => new MessageBus({ brokers: ['127.0.0.1:1'], clientId: 'unit', retry: { attempts: 0 } })).toThrow(RangeError);
  });

  it('closes without having connected, twice, and refuses work afterwards', async () => {
    const bus = offline();
    await bus.close();
    await bus.close();
    expect(bus.isHealthy()).toBe(false);
    await expect(bus.connect()).rejects.toThrow(/closed/);
    await expect(bus.subscribe({ groupId: 'g', topics: ['t'], handlers: {} })).rejects.toThrow(/closed/);
  });

  it('is not healthy before it connects', () => {
    expect(offline().isHealthy()).toBe(false);
  });
});

describe('stopInPhases', () => {
  it('stops each phase together, and the next only once the previous one has stopped', async () => {
    const log: string[] = [];
    const items = new Map([
      ['verdicts', 1],
      ['step-a', 0],
      ['late', 5],
      ['step-b', 0],
    ]);
    await stopInPhases(items, async (name) => {
      log.push(`stop ${name}`);
      // Phase 0's stops take a while: a later phase must not begin meanwhile.
      await new Promise((r) => setTimeout(r, items.get(name) === 0 ? 30 : 1));
      log.push(`stopped ${name}`);
    });
    expect(log).toEqual(['stop step-a', 'stop step-b', 'stopped step-a', 'stopped step-b', 'stop verdicts', 'stopped verdicts', 'stop late', 'stopped late']);
  });
});
