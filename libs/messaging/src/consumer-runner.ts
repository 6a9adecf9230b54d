import type { Consumer, Kafka } from 'kafkajs';
import { consumerLag, reportConsumerLag } from './consumer-metrics';
import { errorMessage } from './dead-letter';
import { CONSUMER_SETTINGS } from './kafka-client';
import type { BusLogger } from './logger';
import type { MessageProcessor } from './message-processor';
import { withTimeout } from './timing';

/** Consumer settings of one subscription. */
export interface ConsumerRunnerOptions {
  groupId: string;
  topics: string[];
  concurrency: number;
  fromBeginning: boolean;
  /**
   * Topics among `topics` where a group with no committed offset starts at the latest
   * message whatever `fromBeginning` says (a namespace's live inputs: a new shadow group must
   * not replay the live history).
   */
  fromLatest?: readonly string[];
  /** How long to wait for the first group join before giving up. */
  joinTimeoutMs: number;
}

/** One kafkajs consumer running a message processor; tracks its own health. */
export class ConsumerRunner {
  private readonly consumer: Consumer;
  private crashed = false;
  private stopping?: Promise<void>;

  constructor(
    kafka: Kafka,
    private readonly opts: ConsumerRunnerOptions,
    private readonly processor: MessageProcessor,
    private readonly logger: BusLogger,
  ) {
    this.consumer = kafka.consumer({ groupId: opts.groupId, ...CONSUMER_SETTINGS });
  }

  get groupId(): string {
    return this.opts.groupId;
  }

  /** False while the consumer is crashed: permanently, or until kafkajs' restart rejoins the group. */
  get healthy(): boolean {
    return !this.crashed;
  }

  /** True once stop() was called: in-flight handlers should give up waiting on outages. */
  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** Connects, subscribes and starts consuming; resolves once the consumer has joined its group. */
  async start(): Promise<void> {
    const { consumer, opts } = this;
    let joined!: () => void;
    let failed!: (error: Error) => void;
    const firstJoin = new Promise<void>((resolve, reject) => {
      joined = resolve;
      failed = reject;
    });
    // Rejected only before the first join; nobody awaits it after, so never leave it unhandled.
    firstJoin.catch(() => undefined);

    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.crashed = false;
      consumerLag.keepAssigned(opts.groupId, payload.memberAssignment);
      joined();
    });
    reportConsumerLag();
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      consumerLag.record(opts.groupId, payload.topic, payload.partition, payload.offsetLag);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.crashed = true;
      this.logger.error('consumer crashed', {
        groupId: opts.groupId,
        restart: payload.restart,
        error: errorMessage(payload.error),
      });
      failed(payload.error);
    });

    try {
      await consumer.connect();
      // kafkajs keeps the start position per topic, so one consumer may hold both kinds.
      const latest = new Set(opts.fromLatest ?? []);
      const usual = opts.topics.filter((t) => !latest.has(t));
      const fromLatest = opts.topics.filter((t) => latest.has(t));
      if (usual.length) await consumer.subscribe({ topics: usual, fromBeginning: opts.fromBeginning });
      if (fromLatest.length) await consumer.subscribe({ topics: fromLatest, fromBeginning: false });
      await consumer.run({
        // Commit after each resolved message: the offset moves only past handled or dead-lettered ones.
        autoCommit: true,
        partitionsConsumedConcurrently: opts.concurrency,
        eachMessage: (payload) => this.processor(payload),
      });
      await withTimeout(firstJoin, opts.joinTimeoutMs, `consumer group ${opts.groupId} join`);
    } catch (error) {
      await this.stop(5_000);
      throw error;
    }
  }

  /** Stops consuming after in-flight messages finish, then leaves the group; bounded by `timeoutMs`. Idempotent. */
  stop(timeoutMs: number): Promise<void> {
    this.stopping ??= withTimeout(this.consumer.disconnect(), timeoutMs, `consumer ${this.opts.groupId} disconnect`).catch(
      (error: unknown) => {
        // In-flight work was abandoned; its offsets are uncommitted, so it is redelivered later.
        this.logger.warn('consumer did not stop cleanly', { groupId: this.opts.groupId, error: errorMessage(error) });
      },
    ).finally(() => consumerLag.forget(this.opts.groupId));
    return this.stopping;
  }
}
