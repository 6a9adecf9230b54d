import { MetricsPipeline } from '@baton/telemetry';
import { parsePrometheusText, type PrometheusSample } from '@baton/telemetry/testing';
import { ConsumerLagTable, consumerLag, reportConsumerLag } from './consumer-metrics';
import { InMemoryDedupeStore } from './dedupe';
import { createMessageProcessor, type IncomingMessage } from './message-processor';
import { resolveRetryPolicy } from './retry';
import { LogCollector } from './testing';

describe('ConsumerLagTable', () => {
  it('keeps the latest lag per group, topic and partition', () => {
    const t = new ConsumerLagTable();
    t.record('g', 'a', 0, '12');
    t.record('g', 'a', 0, '3');
    t.record('g', 'a', 1, '0');
    t.record('h', 'a', 0, '7');
    expect(t.entries()).toEqual([
      { groupId: 'g', topic: 'a', partition: 0, lag: 3 },
      { groupId: 'g', topic: 'a', partition: 1, lag: 0 },
      { groupId: 'h', topic: 'a', partition: 0, lag: 7 },
    ]);
  });

  it('ignores what is not a number and never reports a negative lag', () => {
    const t = new ConsumerLagTable();
    t.record('g', 'a', 0, 'NaN');
    t.record('g', 'a', 1, '-1');
    expect(t.entries()).toEqual([{ groupId: 'g', topic: 'a', partition: 1, lag: 0 }]);
  });

  it('after a rebalance keeps only the partitions the member still holds, in that group only', () => {
    const t = new ConsumerLagTable();
    t.record('g', 'a', 0, '1');
    t.record('g', 'a', 1, '2');
    t.record('g', 'b', 0, '3');
    t.record('h', 'a', 1, '4');
    t.keepAssigned('g', { a: [1] });
    expect(t.entries().map((e) => [e.groupId, e.topic, e.partition])).toEqual([
      ['g', 'a', 1],
      ['h', 'a', 1],
    ]);
    t.forget('g');
    expect(t.entries().map((e) => e.groupId)).toEqual(['h']);
  });
});

describe('consumer metrics', () => {
  let pipeline: MetricsPipeline;

  beforeEach(() => {
    pipeline = new MetricsPipeline({ serviceName: 'messaging-test' });
    pipeline.install();
  });

  afterEach(async () => {
    await pipeline.shutdown();
    pipeline.uninstall();
  });

  async function samples(name: string): Promise<PrometheusSample[]> {
    return parsePrometheusText(await pipeline.renderPrometheus()).samples.filter((s) => s.name === name);
  }

  function message(value: string, partition = 2): IncomingMessage {
    return { topic: 'baton.task.submitted', partition, message: { key: null, value: Buffer.from(value), offset: '1' }, heartbeat: async () => undefined };
  }

  it('counts every message delivered and every dead letter written, not one that could not be written', async () => {
    let writable = true;
    const processor = createMessageProcessor({
      groupId: 'metrics-group',
      handlers: {},
      dedupe: new InMemoryDedupeStore(),
      retry: resolveRetryPolicy(),
      logger: new LogCollector(),
      publishDeadLetter: async () => {
        if (!writable) throw new Error('broker down');
      },
    });
    await processor(message('{bad'));
    await processor(message('{bad', 3));
    writable = false;
    await expect(processor(message('{bad'))).rejects.toThrow('broker down');

    expect((await samples('messaging_client_consumed_messages_total')).map((s) => [s.labels['messaging_destination_partition_id'], s.value])).toEqual([
      ['2', 2],
      ['3', 1],
    ]);
    expect(await samples('baton_dead_letters_total')).toEqual([
      {
        name: 'baton_dead_letters_total',
        labels: expect.objectContaining({ messaging_destination_name: 'baton.task.submitted', baton_dead_letter_reason: 'invalid_json', messaging_consumer_group_name: 'metrics-group' }),
        value: 2,
      },
    ]);
  });

  it('reports the process lag table as baton_consumer_lag', async () => {
    reportConsumerLag();
    consumerLag.record('lag-group', 'baton.task.routed', 4, '9');
    try {
      expect(await samples('baton_consumer_lag')).toEqual([
        {
          name: 'baton_consumer_lag',
          labels: expect.objectContaining({ messaging_consumer_group_name: 'lag-group', messaging_destination_name: 'baton.task.routed', messaging_destination_partition_id: '4' }),
          value: 9,
        },
      ]);
      consumerLag.forget('lag-group');
      expect(await samples('baton_consumer_lag')).toEqual([]);
    } finally {
      consumerLag.forget('lag-group');
    }
  });
});
