import { waitForKafka } from './index';
import { testBrokers } from './testing';

// The per-project testTimeout in jest.config.js does not reach the test runner; set it here.
jest.setTimeout(30_000);

it('resolves once the broker answers', async () => {
  await expect(waitForKafka(testBrokers(), 10_000)).resolves.toBeUndefined();
});

it('rejects after its timeout when nothing answers', async () => {
  const started = Date.now();
  // Port 1 on loopback: nothing listens, connections are refused at once.
  await expect(waitForKafka(['127.0.0.1:1'], 1_500)).rejects.toThrow(/did not answer within 1500 ms/);
  expect(Date.now() - started).toBeLessThan(5_000);
});
