import { runBareKafkaChain } from './index';
import { KafkaTestClient, testBrokers, uniqueName, waitFor } from './testing';

// The per-project testTimeout in jest.config.js does not reach the test runner; set it here.
jest.setTimeout(30_000);

const brokers = testBrokers();
const kafka = new KafkaTestClient(brokers);

afterAll(() => kafka.close());

it('relays every message over two hops, measures each and deletes its topics', async () => {
  const topicPrefix = uniqueName('bare');
  const result = await runBareKafkaChain({ brokers, hops: 2, messages: 50, payloadBytes: 256, topicPrefix });
  expect(result.latenciesMs).toHaveLength(50);
  expect(result.latenciesMs.every((ms) => Number.isFinite(ms) && ms >= 0)).toBe(true);
  expect(result.durationMs).toBeGreaterThanOrEqual(Math.max(...result.latenciesMs));
  // Deletion completes asynchronously on the broker; the listing may lag a moment.
  await waitFor(async () => !(await kafka.listTopics()).some((t) => t.startsWith(topicPrefix)), {
    description: 'the run topics deleted',
  });
});

it('delivers every message when the source keeps several in flight (closed loop)', async () => {
  const result = await runBareKafkaChain({ brokers, hops: 1, messages: 40, payloadBytes: 64, inFlight: 4, topicPrefix: uniqueName('bare') });
  expect(result.latenciesMs).toHaveLength(40);
});

it('rejects bad options before touching Kafka', async () => {
  await expect(runBareKafkaChain({ brokers, hops: -1, messages: 1, payloadBytes: 1 })).rejects.toThrow(/hops/);
  await expect(runBareKafkaChain({ brokers, hops: 1, messages: 0, payloadBytes: 1 })).rejects.toThrow(/messages/);
});
