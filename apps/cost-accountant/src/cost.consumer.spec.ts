import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Topics, createEvent, type LlmUsage } from '@baton/contracts';
import { ModelCatalog } from '@baton/llm';
import { BatonTransport } from '@baton/messaging';
import { InMemoryBus, startWithTransport } from '@baton/messaging/testing';
import { BUS, STATE_STORE } from '@baton/service-kit';
import type { StateStore } from '@baton/state';
import { MODEL_CATALOG } from './config';
import { CostConsumer } from './cost.consumer';

/*
 * The cost accountant's handler declared with @EventPattern, driven through the Baton
 * transport on an in-memory bus: what it subscribes to, what it publishes, and a usage it
 * refuses going to the dead-letter topic without retries.
 */

const catalog = ModelCatalog.fromSpecs([
  { id: 'sim-mini', provider: 'simulator', providerModel: 'sim-mini', inputPricePerMTokens: 0.15, outputPricePerMTokens: 0.6, contextWindow: 32_000, maxOutputTokens: 4_000, capabilities: ['chat'] },
]);

function usage(data: Partial<LlmUsage['data']> = {}): LlmUsage {
  return createEvent('llm.usage', { tenantId: 'acme', taskId: randomUUID(), causationId: null }, {
    stepId: 'main',
    attempt: 1,
    model: 'sim-mini',
    provider: 'simulator',
    promptTokens: 1_000,
    completionTokens: 100,
    latencyMs: 5,
    ...data,
  });
}

describe('CostConsumer on the Baton transport', () => {
  let bus: InMemoryBus;
  let app: INestApplication;
  const charges: Array<{ usageEventId: string; costMicros: number }> = [];

  beforeEach(async () => {
    bus = new InMemoryBus();
    charges.length = 0;
    const state = {
      spend: {
        record: async (u: { usageEventId: string; costMicros: number }) => {
          charges.push({ usageEventId: u.usageEventId, costMicros: u.costMicros });
          return { applied: true, taskTotalMicros: u.costMicros, tenantTotalMicros: 10 * u.costMicros };
        },
      },
    } as unknown as StateStore;
    const moduleRef = await Test.createTestingModule({
      controllers: [CostConsumer],
      providers: [
        { provide: BUS, useValue: bus },
        { provide: STATE_STORE, useValue: state },
        { provide: MODEL_CATALOG, useValue: catalog },
      ],
    }).compile();
    app = await startWithTransport(moduleRef, new BatonTransport(bus, { groupId: 'cost-accountant' }));
  });

  afterEach(() => app.close());

  it('reads llm.usage in the cost-accountant group', () => {
    expect(bus.subscriptions()).toEqual([{ groupId: 'cost-accountant', topics: [Topics.llmUsage] }]);
  });

  it('charges a usage at its catalog price and publishes the spend', async () => {
    const event = usage();
    await bus.deliver(event);
    // 1,000 prompt tokens at 0.15 $/M and 100 completion tokens at 0.6 $/M.
    expect(charges).toEqual([{ usageEventId: event.eventId, costMicros: 210 }]);
    expect(bus.published).toEqual([
      expect.objectContaining({ type: 'spend.recorded', causationId: event.eventId, data: { usageEventId: event.eventId, model: 'sim-mini', costMicros: 210, taskTotalMicros: 210, tenantTotalMicros: 2_100 } }),
    ]);
  });

  it('dead-letters an estimated usage with no reserved amount at once, charging nothing', async () => {
    const event = usage({ estimated: true, promptTokens: 0, completionTokens: 0, reservation: { id: randomUUID(), scopes: ['task:x'] } });
    await bus.deliver(event);
    expect(charges).toEqual([]);
    expect(bus.published).toEqual([]);
    expect(bus.deadLetters.map((d) => [d.topic, d.record.reason, d.record.attempts, d.record.eventId])).toEqual([[`${Topics.llmUsage}.dlt`, 'invalid_event', 1, event.eventId]]);
  });
});
