import { createKafka } from './kafka-client';
import { stderrLogger } from './logger';
import { sleep, withTimeout } from './timing';

const POLL_INTERVAL_MS = 500;

/** Resolves once a broker answers `describeCluster`; rejects after `timeoutMs`. For startup scripts and tests. */
export async function waitForKafka(brokers: string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    // A fresh client per poll, silent and without its own retries: connection errors are
    // the expected answer while the broker boots.
    const kafka = createKafka({ brokers, clientId: 'baton-wait-for-kafka', logger: stderrLogger, silent: true });
    const admin = kafka.admin({ retry: { retries: 0 } });
    try {
      // Bounded by the deadline: a half-up broker can accept a connection and never answer.
      await withTimeout(
        (async () => {
          await admin.connect();
          await admin.describeCluster();
        })(),
        Math.max(1, deadline - Date.now()),
        'describeCluster',
      );
      return;
    } catch (error) {
      lastError = error;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await sleep(Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now())));
  }
  const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`Kafka at ${brokers.join(',')} did not answer within ${timeoutMs} ms${cause}`);
}
