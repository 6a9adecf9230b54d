import { randomUUID } from 'node:crypto';
import { lastValueFrom } from 'rxjs';
import { createEvent } from '@baton/contracts';
import { BatonClient } from './baton-client';
import { InMemoryBus } from './testing';

const admitted = () => createEvent('task.admitted', { tenantId: 'acme', taskId: randomUUID(), causationId: null }, { taskType: 't.x', input: { text: 'x' }, redactions: [] });

describe('BatonClient', () => {
  it('publishes an emitted event through the bus, and completes once it is published', async () => {
    const bus = new InMemoryBus();
    const event = admitted();
    await lastValueFrom(new BatonClient(bus).emit(event.type, event), { defaultValue: undefined });
    expect(bus.published).toEqual([event]);
  });

  it('refuses a pattern that is not the event\'s own type, and publishes nothing', async () => {
    const bus = new InMemoryBus();
    await expect(lastValueFrom(new BatonClient(bus).emit('task.routed', admitted()))).rejects.toThrow('the pattern must be the type of the event emitted');
    expect(bus.published).toEqual([]);
  });

  it('refuses request-reply', async () => {
    await expect(lastValueFrom(new BatonClient(new InMemoryBus()).send('task.admitted', admitted()))).rejects.toThrow('request-reply (send task.admitted) is not served over Kafka');
  });
});
