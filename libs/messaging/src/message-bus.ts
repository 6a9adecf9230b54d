import { Partitioners, type Admin, type Kafka, type Message, type Producer } from 'kafkajs';
import type { Span } from '@opentelemetry/api';
import { parseEvent, topicOf, type BatonEvent, type DeadLetterRecord } from '@baton/contracts';
import { Attr } from '@baton/telemetry';
import { ConsumerRunner } from './consumer-runner';
import { decodeDeadLetterValue, errorMessage } from './dead-letter';
import { readLatestDeadLetters, readMessageAt, toDeadLetter, type StoredDeadLetter } from './dead-letter-reader';
import { InMemoryDedupeStore, type DedupeStore } from './dedupe';
import { HeaderNames, JSON_CONTENT_TYPE, eventHeaders } from './headers';
import { createKafka } from './kafka-client';
import { stderrLogger, type BusLogger } from './logger';
import { createMessageProcessor, type EventHandlers } from './message-processor';
import { resolveRetryPolicy, type RetryPolicy } from './retry';
import { commitEndWhereUncommitted, ensureTopicsExist } from './topic-admin';
import { TopicNamespace } from './topic-namespace';
import { withTimeout } from './timing';
import { eventAttributes, recordFailure, startProducerSpan } from './tracing';

/** How to reach Kafka and how to consume. */
export interface MessageBusOptions {
  brokers: string[];
  /** kafkajs client id; the service name. */
  clientId: string;
  /** Durable dedupe (Redis); without it each group dedupes best-effort in memory. */
  dedupe?: DedupeStore;
  /** Defaults to JSON lines on stderr. */
  logger?: BusLogger;
  /** In-process handler retries before a message is dead-lettered (poison quickly, transient after `transientBudgetMs`). */
  retry?: Partial<RetryPolicy>;
  /**
   * Namespace of this bus (`BATON_NAMESPACE`, e.g. `shadow`); unset means live. A namespaced
   * bus renames every `baton.<x>` topic to `baton.<ns>.<x>` and suffixes its groups with `.<ns>`.
   */
  namespace?: string;
  /** Live topics a namespaced bus subscribes to as they are (`BATON_LIVE_INPUTS`). */
  liveInputs?: readonly string[];
}

/** One consumer group's subscription. */
export interface SubscribeOptions {
  /** Consumer group id; by convention the service name. A namespaced bus suffixes it with `.<ns>`. */
  groupId: string;
  /** Topics by their live names; a namespaced bus reads their namespaced copies (live inputs excepted). */
  topics: string[];
  handlers: EventHandlers;
  /** Partitions handled in parallel (kafkajs `partitionsConsumedConcurrently`); default 3. */
  concurrency?: number;
  /** Where a group with no committed offset starts; default true (earliest). Live inputs of a namespace always start at the latest. */
  fromBeginning?: boolean;
  /**
   * On close(), subscriptions stop in ascending phase order, each phase after the previous
   * one's in-flight handlers finished; default 0. A subscription whose messages answer
   * handlers of another (the agent's tool verdicts) takes a later phase than those handlers.
   */
  shutdownPhase?: number;
}

/** Where a redrive republished a dead letter's original message. */
export interface Redriven {
  topic: string;
  partition: number;
  offset: string;
  /** `original`: the exact message read back from its topic; `record`: rebuilt from the dead letter (the original is gone). */
  source: 'original' | 'record';
}

/** The original of a truncated dead letter is no longer on its topic: nothing whole to send back. */
export class DeadLetterNotRedrivableError extends Error {
  override readonly name = 'DeadLetterNotRedrivableError';
}

/** A running subscription. */
export interface Subscription {
  /** The consumer group id as used on the broker (namespaced). */
  groupId: string;
  /** Stops its consumer after in-flight handlers finish. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_PARTITIONS = 6;
const DEFAULT_CONCURRENCY = 3;
const JOIN_TIMEOUT_MS = 30_000;
// Shutdown budget: consumers wait for in-flight handlers; beyond this their messages are redelivered.
const CONSUMER_STOP_TIMEOUT_MS = 15_000;
const CLIENT_DISCONNECT_TIMEOUT_MS = 5_000;

/**
 * Stops every item, phase by phase in ascending order: the items of one phase together, the
 * next phase only once they all stopped. Exported for its unit test.
 */
export async function stopInPhases<T>(items: ReadonlyMap<T, number>, stop: (item: T) => Promise<void>): Promise<void> {
  const phases = [...new Set(items.values())].sort((a, b) => a - b);
  for (const phase of phases) {
    await Promise.all([...items].filter(([, p]) => p === phase).map(([item]) => stop(item)));
  }
}

/**
 * Baton's only door to Kafka: validated, traced publishing and consumers that never let a
 * poison message block a partition (retry, then dead-letter, then commit).
 */
export class MessageBus {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly logger: BusLogger;
  private readonly dedupe: DedupeStore;
  private readonly retry: RetryPolicy;
  private readonly ns: TopicNamespace;
  /** Running consumers, with the shutdown phase of each. */
  private readonly runners = new Map<ConsumerRunner, number>();
  private admin?: Promise<Admin>;
  private connecting?: Promise<void>;
  private producerConnected = false;
  private closing?: Promise<void>;
  /** Set once the consumers have stopped on close: from then on nothing may publish. */
  private publishingClosed = false;

  constructor(private readonly opts: MessageBusOptions) {
    if (opts.brokers.length === 0) throw new Error('MessageBus needs at least one broker');
    this.logger = opts.logger ?? stderrLogger;
    this.retry = resolveRetryPolicy(opts.retry);
    this.ns = new TopicNamespace({ namespace: opts.namespace ?? null, liveInputs: opts.liveInputs ?? [] });
    this.dedupe = opts.dedupe ?? new InMemoryDedupeStore();
    this.kafka = createKafka({ brokers: opts.brokers, clientId: opts.clientId, logger: this.logger });
    this.producer = this.kafka.producer({
      // Idempotence needs one request in flight to keep per-partition order across retries.
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Choosing it explicitly silences kafkajs' v2 partitioner warning; it is murmur2, Java-compatible.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.producer.on(this.producer.events.CONNECT, () => {
      this.producerConnected = true;
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.producerConnected = false;
    });
  }

  /** The namespace of this bus, or null when it is live. */
  get namespace(): string | null {
    return this.ns.name;
  }

  /** Connects the producer. Safe to call repeatedly and concurrently. */
  async connect(): Promise<void> {
    this.assertOpen();
    await this.connectProducer();
  }

  private connectProducer(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  /**
   * Creates each missing topic and its dead-letter twin (in the bus' namespace); tolerates
   * another process creating them first.
   */
  async ensureTopics(topics: string[], opts: { partitions?: number } = {}): Promise<void> {
    this.assertOpen();
    await ensureTopicsExist(await this.getAdmin(), this.ns.topicsToEnsure(topics), opts.partitions ?? DEFAULT_PARTITIONS);
  }

  /**
   * Validates and publishes one event, keyed by task id on the event's contract topic (in
   * the bus' namespace). `topicOverride` exists for tests that need fresh topics; services
   * never pass it.
   */
  async publish(event: BatonEvent, topicOverride?: string): Promise<void> {
    this.assertCanPublish();
    const parsed = parseEvent(event);
    const topic = this.ns.topic(topicOverride ?? topicOf(parsed));
    await this.connectProducer();
    const { span, message } = this.tracedMessage(topic, parsed);
    try {
      const [meta] = await this.producer.send({ topic, messages: [message] });
      if (meta) {
        span.setAttribute(Attr.messagingPartition, String(meta.partition));
        if (meta.baseOffset !== undefined) span.setAttribute(Attr.messagingKafkaOffset, meta.baseOffset);
      }
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  /** Validates every event first (none is sent if one is invalid), then publishes them in one batch. */
  async publishAll(events: BatonEvent[]): Promise<void> {
    this.assertCanPublish();
    if (events.length === 0) return;
    const parsed = events.map((e) => parseEvent(e));
    await this.connectProducer();
    const byTopic = new Map<string, Message[]>();
    const spans: Span[] = [];
    for (const event of parsed) {
      const topic = this.ns.topic(topicOf(event));
      const { span, message } = this.tracedMessage(topic, event);
      spans.push(span);
      const batch = byTopic.get(topic);
      if (batch) batch.push(message);
      else byTopic.set(topic, [message]);
    }
    try {
      await this.producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    } catch (error) {
      for (const span of spans) recordFailure(span, error);
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  }

  /** Starts a consumer group on `topics`; resolves once it has joined the group. */
  async subscribe(opts: SubscribeOptions): Promise<Subscription> {
    this.assertOpen();
    const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
    if (!opts.groupId) throw new Error('subscribe: groupId is required');
    if (opts.topics.length === 0) throw new Error('subscribe: at least one topic is required');
    const groupId = this.ns.groupId(opts.groupId);
    const topics = [...new Set(opts.topics.map((t) => this.ns.subscribeTopic(t)))];
    const fromLatest = opts.topics.filter((t) => this.ns.isLiveInput(t));
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`subscribe: concurrency must be >= 1, got ${concurrency}`);
    const phase = opts.shutdownPhase ?? 0;
    if (!Number.isFinite(phase)) throw new RangeError(`subscribe: shutdownPhase must be a number, got ${phase}`);
    // Dead letters go through the producer, so it must be up before the first message arrives.
    await this.connect();
    for (const topic of fromLatest) await this.startAtEnd(groupId, topic);

    const processor = createMessageProcessor({
      groupId,
      handlers: opts.handlers,
      dedupe: this.dedupe,
      retry: this.retry,
      logger: this.logger,
      publishDeadLetter: (topic, key, record) => this.publishDeadLetter(topic, key, record),
      stopping: () => runner.isStopping,
    });
    // Assigned before the first message can arrive (start() below), so `stopping` never sees it unset.
    const runner: ConsumerRunner = new ConsumerRunner(
      this.kafka,
      {
        groupId,
        topics,
        concurrency,
        fromBeginning: opts.fromBeginning ?? true,
        fromLatest,
        joinTimeoutMs: JOIN_TIMEOUT_MS,
      },
      processor,
      this.logger,
    );
    this.runners.set(runner, phase);
    try {
      await runner.start();
    } catch (error) {
      this.runners.delete(runner);
      throw error;
    }
    return {
      groupId,
      stop: async () => {
        await runner.stop(CONSUMER_STOP_TIMEOUT_MS);
        this.runners.delete(runner);
      },
    };
  }

  /** Producer connected, bus open and no consumer crashed. */
  isHealthy(): boolean {
    if (this.closing || !this.producerConnected) return false;
    for (const runner of this.runners.keys()) if (!runner.healthy) return false;
    return true;
  }

  /** Stops every consumer (in-flight handlers finish first), then disconnects producer and admin. Idempotent, bounded. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    // Consumers first: their in-flight handlers may still publish or dead-letter through the producer.
    await stopInPhases(this.runners, (r) => r.stop(CONSUMER_STOP_TIMEOUT_MS));
    this.runners.clear();
    this.publishingClosed = true;
    const admin = this.admin;
    await Promise.all([
      this.disconnectQuietly('producer', this.connecting ? this.producer.disconnect() : Promise.resolve()),
      this.disconnectQuietly('admin', admin ? admin.then((a) => a.disconnect()) : Promise.resolve()),
    ]);
    this.producerConnected = false;
  }

  private async disconnectQuietly(what: string, work: Promise<void>): Promise<void> {
    try {
      await withTimeout(work, CLIENT_DISCONNECT_TIMEOUT_MS, `${what} disconnect`);
    } catch (error) {
      this.logger.warn(`${what} did not disconnect cleanly`, { error: errorMessage(error) });
    }
  }

  private tracedMessage(topic: string, event: BatonEvent): { span: Span; message: Message } {
    const { span, traceHeaders } = startProducerSpan(topic, event.taskId, eventAttributes(event));
    return {
      span,
      message: { key: event.taskId, value: JSON.stringify(event), headers: eventHeaders(event, traceHeaders) },
    };
  }

  private async publishDeadLetter(originalTopic: string, key: Buffer | null, record: DeadLetterRecord): Promise<void> {
    const topic = this.ns.deadLetterTopic(originalTopic);
    const { span, traceHeaders } = startProducerSpan(topic, record.key, {
      [Attr.deadLetterReason]: record.reason,
      ...(record.eventId ? { [Attr.eventId]: record.eventId } : {}),
    });
    try {
      await this.producer.send({
        topic,
        messages: [
          {
            key,
            value: JSON.stringify(record),
            headers: {
              ...traceHeaders,
              [HeaderNames.contentType]: JSON_CONTENT_TYPE,
              [HeaderNames.deadLetterReason]: record.reason,
            },
          },
        ],
      });
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  /**
   * The latest dead letters of `topics` (by their live names, in this bus' namespace), newest
   * first: the last `perPartition` records of each partition of each dead-letter twin. A
   * twin that does not exist is skipped.
   */
  async listDeadLetters(topics: string[], perPartition: number): Promise<StoredDeadLetter[]> {
    this.assertOpen();
    const admin = await this.getAdmin();
    const existing = new Set(await admin.listTopics());
    const dlts = [...new Set(topics.map((t) => this.ns.deadLetterTopic(this.ns.subscribeTopic(t))))].filter((t) => existing.has(t));
    const all: StoredDeadLetter[] = [];
    for (const dlt of dlts) all.push(...(await readLatestDeadLetters(this.kafka, admin, dlt, perPartition)));
    return all.sort((a, b) => b.record.failedAt.localeCompare(a.record.failedAt));
  }

  /** One dead letter of `topic` (live name) by its partition and offset on the dead-letter twin; null when absent. */
  async getDeadLetter(topic: string, partition: number, offset: string): Promise<StoredDeadLetter | null> {
    this.assertOpen();
    const admin = await this.getAdmin();
    const dlt = this.ns.deadLetterTopic(this.ns.subscribeTopic(topic));
    if (!(await admin.listTopics()).includes(dlt)) return null;
    const message = await readMessageAt(this.kafka, admin, dlt, partition, offset);
    return message ? toDeadLetter(message) : null;
  }

  /**
   * Sends a dead letter's original message back to its original topic: the exact bytes, key
   * and headers read back from there while the topic retains them, else rebuilt from the
   * record (no headers). Marked with a `baton-redrive-of` header. Consumers dedupe by event
   * id, so groups that had handled it skip it; the group that gave up handles it again.
   */
  async redriveDeadLetter(dead: StoredDeadLetter): Promise<Redriven> {
    this.assertCanPublish();
    const { record } = dead;
    const original = await readMessageAt(this.kafka, await this.getAdmin(), record.originalTopic, record.partition, record.offset).catch(() => null);
    if (!original && record.truncated) {
      throw new DeadLetterNotRedrivableError(`the dead letter keeps only ${record.value?.length ?? 0} of ${record.originalBytes ?? '?'} bytes and ${record.originalTopic} no longer holds offset ${record.offset}`);
    }
    const headers: Record<string, Buffer | string> = {};
    for (const [name, value] of Object.entries(original?.headers ?? {})) {
      if (typeof value === 'string' || Buffer.isBuffer(value)) headers[name] = value;
    }
    headers[HeaderNames.redriveOf] = `${dead.topic}/${dead.partition}/${dead.offset}`;
    await this.connectProducer();
    const [meta] = await this.producer.send({
      topic: record.originalTopic,
      messages: [
        {
          key: original ? original.key : record.key,
          value: original ? original.value : decodeDeadLetterValue(record),
          headers,
          // Same partition as the first time: its order relative to the task's other events is the one it had.
          partition: record.partition,
        },
      ],
    });
    return { topic: record.originalTopic, partition: meta?.partition ?? record.partition, offset: meta?.baseOffset ?? '-1', source: original ? 'original' : 'record' };
  }

  /**
   * Pins a new group's start on a live input to the end as of now, so every message
   * published once subscribe() resolves is seen, but none from before.
   */
  private async startAtEnd(groupId: string, topic: string): Promise<void> {
    try {
      await commitEndWhereUncommitted(await this.getAdmin(), groupId, topic);
    } catch (error) {
      // Another member of the group is running (a replica): the group's position is already set.
      this.logger.warn('could not pin the start of a live input', { groupId, topic, error: errorMessage(error) });
    }
  }

  private getAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.admin = undefined;
      throw error;
    });
    return this.admin;
  }

  /** No new connection, subscription or topic once close() has begun. */
  private assertOpen(): void {
    if (this.closing) throw new Error(`MessageBus ${this.opts.clientId} is closed`);
  }

  /**
   * Publishing stays open while close() drains the consumers: an in-flight handler must be
   * able to publish its results, else its message would be retried and dead-lettered (and
   * so committed) by a bus that is merely shutting down, and its work lost.
   */
  private assertCanPublish(): void {
    if (this.publishingClosed) throw new Error(`MessageBus ${this.opts.clientId} is closed`);
  }
}
