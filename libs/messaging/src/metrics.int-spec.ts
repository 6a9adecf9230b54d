import { randomUUID } from 'node:crypto';
import { createEvent, type TaskSubmitted } from '@baton/contracts';
import { MetricsPipeline } from '@baton/telemetry';
import { parsePrometheusText, type PrometheusSample } from '@baton/telemetry/testing';
import { MessageBus } from './index';
import { KafkaTestClient, LogCollector, testBrokers, uniqueName, waitFor } from './testing';

jest.setTimeout(30_000);

const brokers = testBrokers();
const kafka = new KafkaTestClient(brokers);
const pipeline = new MetricsPipeline({ serviceName: 'messaging-metrics-int' });
let bus: MessageBus;

beforeAll(() => {
  pipeline.install();
  bus = new MessageBus({ brokers, clientId: uniqueName('metrics'), logger: new LogCollector(), retry: { initialBackoffMs: 10, maxBackoffMs: 20 } });
});

afterAll(async () => {
  await bus.close();
  await kafka.close();
  await pipeline.shutdown();
  pipeline.uninstall();
});

async function samples(name: string, group: string): Promise<PrometheusSample[]> {
  return parsePrometheusText(await pipeline.renderPrometheus()).samples.filter(
    (s) => s.name === name && s.labels['messaging_consumer_group_name'] === group,
  );
}

describe('messaging metrics against a real broker', () => {
  it('counts consumed messages and dead letters, reports the lag of each partition, and drops it when the consumer stops', async () => {
    const topic = uniqueName('metrics');
    const groupId = uniqueName('group');
    await bus.ensureTopics([topic], { partitions: 1 });
    const taskId = randomUUID();
    const events: TaskSubmitted[] = [1, 2, 3].map((n) =>
      createEvent('task.submitted', { tenantId: 'acme', taskId, causationId: null }, { taskType: 'lead.qualify', input: { text: `lead ${n}` } }),
    );
    await kafka.produceRaw(topic, [{ key: taskId, value: '{poison' }]);
    for (const e of events) await bus.publish(e, topic);

    const handled = new Set<string>();
    const sub = await bus.subscribe({ groupId, topics: [topic], handlers: { 'task.submitted': async (e) => void handled.add(e.eventId) } });
    await waitFor(() => handled.size === events.length, { description: 'every event handled' });

    const consumed = await waitFor(async () => {
      const s = await samples('messaging_client_consumed_messages_total', groupId);
      return s[0]?.value === 4 ? s : null;
    }, { description: 'four consumed messages counted' });
    expect(consumed[0]!.labels).toMatchObject({ messaging_system: 'kafka', messaging_destination_name: topic, messaging_destination_partition_id: '0' });
    expect((await samples('baton_dead_letters_total', groupId)).map((s) => [s.labels['baton_dead_letter_reason'], s.value])).toEqual([['invalid_json', 1]]);

    // The batch that held the last message ended at the end of the partition.
    const lag = await waitFor(async () => (await samples('baton_consumer_lag', groupId))[0], { description: 'the lag of partition 0' });
    expect(lag).toMatchObject({ labels: expect.objectContaining({ messaging_destination_name: topic, messaging_destination_partition_id: '0' }), value: 0 });

    await sub.stop();
    expect(await samples('baton_consumer_lag', groupId)).toEqual([]);
  });
});
