import { randomBytes } from 'node:crypto';
import { Partitioners, type Consumer, type EachMessageHandler, type Kafka, type Producer } from 'kafkajs';
import { CONSUMER_SETTINGS, createKafka } from './kafka-client';
import { stderrLogger } from './logger';
import { TimeoutError, withTimeout } from './timing';

/** Shape of one baseline run. */
export interface BareChainOptions {
  brokers: string[];
  /** Relays between the source topic and the sink; 0 means the sink reads the source topic. */
  hops: number;
  /** Messages sent by the source. */
  messages: number;
  /** Size of each message value. */
  payloadBytes: number;
  /** Partitions each consumer handles in parallel; default 3, as the bus. */
  concurrency?: number;
  /**
   * Messages in flight at once (closed loop): the source waits for an arrival before it
   * sends more, as the pipeline bench keeps a fixed number of tasks in flight. Default 1.
   */
  inFlight?: number;
  /** Prefix of the run's throwaway topics and groups; default `baton.bench.bare`. */
  topicPrefix?: string;
}

/** What one baseline run measured. */
export interface BareChainResult {
  /** End-to-end latency per message, source send to sink receipt, in arrival order. */
  latenciesMs: number[];
  /** First send to last receipt. */
  durationMs: number;
}

const RUN_TIMEOUT_MS = 120_000;
const PARTITIONS = 6;
const CLEANUP_TIMEOUT_MS = 10_000;

/**
 * The benchmark baseline: the same chain of hops as the Baton pipeline with bare kafkajs
 * (no validation, tracing or dedupe). Producers use the bus' settings (idempotent, one
 * request in flight) and each relay has its own producer, as separate services would, so
 * the difference to a bus run is the lib's own cost. The source keeps `inFlight` messages
 * under way (closed loop), so a latency is a message's path, not time queued behind a burst.
 */
export async function runBareKafkaChain(opts: BareChainOptions): Promise<BareChainResult> {
  validate(opts);
  const runId = `${opts.topicPrefix ?? 'baton.bench.bare'}.${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const topics = Array.from({ length: opts.hops + 1 }, (_, i) => `${runId}.hop${i}`);
  const kafka = createKafka({ brokers: opts.brokers, clientId: 'baton-bare-chain', logger: stderrLogger });
  const chain = new Chain(kafka, runId, topics, opts);
  try {
    return await withTimeout(chain.run(), RUN_TIMEOUT_MS, `bare chain ${runId}`);
  } catch (error) {
    if (error instanceof TimeoutError) {
      throw new TimeoutError(`${error.message}; ${chain.received} of ${opts.messages} messages arrived`);
    }
    throw error;
  } finally {
    await chain.cleanup();
  }
}

function validate(opts: BareChainOptions): void {
  if (opts.brokers.length === 0) throw new Error('brokers must not be empty');
  if (!Number.isInteger(opts.hops) || opts.hops < 0) throw new RangeError(`hops must be an integer >= 0, got ${opts.hops}`);
  if (!Number.isInteger(opts.messages) || opts.messages < 1) throw new RangeError(`messages must be an integer >= 1, got ${opts.messages}`);
  if (!Number.isInteger(opts.payloadBytes) || opts.payloadBytes < 0) throw new RangeError(`payloadBytes must be >= 0, got ${opts.payloadBytes}`);
}

class Chain {
  private readonly consumers: Consumer[] = [];
  private readonly producers: Producer[] = [];
  private readonly sentAt = new Map<string, number>();
  private readonly latencies: number[] = [];
  private topicsCreated = false;
  // Woken on every arrival so a source waiting for a free in-flight slot can go on.
  private slotFreed: () => void = () => undefined;
  private allArrived!: (lastArrival: number) => void;
  private crashed!: (error: Error) => void;
  // Settles with the last arrival time, or fails fast when a consumer dies for good.
  private readonly arrived = new Promise<number>((resolve, reject) => {
    this.allArrived = resolve;
    this.crashed = reject;
  });

  constructor(
    private readonly kafka: Kafka,
    private readonly runId: string,
    private readonly topics: string[],
    private readonly opts: BareChainOptions,
  ) {
    // A crash during setup rejects before anyone awaits `arrived`; not an unhandled rejection.
    this.arrived.catch(() => undefined);
  }

  get received(): number {
    return this.latencies.length;
  }

  async run(): Promise<BareChainResult> {
    await this.createTopics();
    const concurrency = this.opts.concurrency ?? 3;
    const last = this.topics.length - 1;
    for (let hop = 0; hop < last; hop++) {
      const out = await this.producer();
      const next = this.topic(hop + 1);
      await this.consume(`${this.runId}.relay${hop}`, this.topic(hop), concurrency, async ({ message }) => {
        await out.send({ topic: next, messages: [{ key: message.key, value: message.value }] });
      });
    }
    await this.consume(`${this.runId}.sink`, this.topic(last), concurrency, async ({ message }) => {
      const key = message.key?.toString('utf8') ?? '';
      const sent = this.sentAt.get(key);
      // A relay redelivery after a rebalance would count twice; each message counts once.
      if (sent === undefined) return;
      this.sentAt.delete(key);
      const now = performance.now();
      this.latencies.push(now - sent);
      this.slotFreed();
      if (this.latencies.length === this.opts.messages) this.allArrived(now);
    });

    const source = await this.producer();
    const value = Buffer.alloc(this.opts.payloadBytes, 'x');
    const first = this.topic(0);
    const inFlight = Math.max(1, this.opts.inFlight ?? 1);
    const start = performance.now();
    for (let i = 0; i < this.opts.messages; i++) {
      while (this.sentAt.size >= inFlight) {
        await Promise.race([new Promise<void>((resolve) => (this.slotFreed = resolve)), this.arrived]);
      }
      const key = `m${i}`;
      this.sentAt.set(key, performance.now());
      await source.send({ topic: first, messages: [{ key, value }] });
    }
    const lastArrival = await this.arrived;
    return { latenciesMs: [...this.latencies], durationMs: lastArrival - start };
  }

  /** Stops every client and deletes the run's topics; bounded, never throws. */
  async cleanup(): Promise<void> {
    const quietly = (work: Promise<unknown>) => withTimeout(work, CLEANUP_TIMEOUT_MS, 'cleanup').catch(() => undefined);
    await Promise.all(this.consumers.map((c) => quietly(c.disconnect())));
    await Promise.all(this.producers.map((p) => quietly(p.disconnect())));
    if (!this.topicsCreated) return;
    const admin = this.kafka.admin();
    await quietly(
      (async () => {
        await admin.connect();
        await admin.deleteTopics({ topics: this.topics });
      })(),
    );
    await quietly(admin.disconnect());
  }

  private topic(hop: number): string {
    const topic = this.topics[hop];
    if (topic === undefined) throw new RangeError(`no topic for hop ${hop}`);
    return topic;
  }

  private async createTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    // Set before creating: a partial failure still leaves topics to delete.
    this.topicsCreated = true;
    try {
      await admin.createTopics({
        topics: this.topics.map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })),
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
  }

  private async producer(): Promise<Producer> {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.producers.push(producer);
    await producer.connect();
    return producer;
  }

  private async consume(
    groupId: string,
    topic: string,
    concurrency: number,
    eachMessage: EachMessageHandler,
  ): Promise<void> {
    const consumer = this.kafka.consumer({ groupId, ...CONSUMER_SETTINGS });
    this.consumers.push(consumer);
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.crashed(new Error(`consumer ${groupId} crashed: ${payload.error.message}`));
    });
    await consumer.connect();
    // Fresh topics, so earliest loses nothing however late the join completes.
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    // run() resolves after the group join, so the source may send as soon as all have run.
    await consumer.run({ partitionsConsumedConcurrently: concurrency, eachMessage });
  }
}
