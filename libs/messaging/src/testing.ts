/**
 * Test helpers for code that uses the messaging lib: raw produce (poison messages), topic
 * collectors with wait-for, unique names, fakes. Import from `@baton/messaging/testing`
 * in tests only.
 */
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Partitioners, type Admin, type Consumer, type Kafka, type Producer } from 'kafkajs';
import { deadLetterTopic } from '@baton/contracts';
import { decodeHeaders } from './headers';
import { CONSUMER_SETTINGS, createKafka } from './kafka-client';
import type { BusLogger } from './logger';
import { sleep } from './timing';
import { ensureTopicsExist } from './topic-admin';
import type { BatonTransport } from './baton-transport';

export { InMemoryDedupeStore } from './dedupe';
export { InMemoryBus, type InMemoryBusOptions, type KeptDeadLetter } from './in-memory-bus';

/**
 * Starts a testing module the way a service starts: its `@EventPattern` handlers on
 * `transport` (over an InMemoryBus in unit specs), groups joined before the app's init hooks
 * run. Close the app when done.
 */
export async function startWithTransport(moduleRef: TestingModule, transport: BatonTransport): Promise<INestApplication> {
  const app = moduleRef.createNestApplication({ logger: false });
  transport.connectTo(app);
  await app.startAllMicroservices();
  await app.init();
  return app;
}

/** Brokers of the test infrastructure (`KAFKA_BROKERS`, set by the Jest global setup). */
export function testBrokers(): string[] {
  const list = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
  return list.filter(Boolean);
}

/** A name no other test or run uses, legal as a Kafka topic and group id. */
export function uniqueName(prefix = 'test'): string {
  const safe = prefix.replace(/[^a-zA-Z0-9._-]/g, '-');
  return `${safe}.${Date.now().toString(36)}.${randomBytes(4).toString('hex')}`;
}

/** Options of `waitFor`. */
export interface WaitForOptions {
  /** Give up after this long; default 15 s. */
  timeoutMs?: number;
  /** Poll period; default 25 ms. */
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  description?: string;
}

/**
 * Polls `probe` until it returns a truthy value, and returns that value. A probe that
 * throws counts as not yet; its last error is reported on timeout.
 */
export async function waitFor<T>(
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  opts: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.description ?? 'condition'}${cause}`);
    }
    await sleep(opts.intervalMs ?? 25);
  }
}

/** One log line captured by LogCollector. */
export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  msg: string;
  fields?: Record<string, unknown>;
}

/** A BusLogger that keeps lines in memory, so tests stay quiet and can assert on logs. */
export class LogCollector implements BusLogger {
  readonly entries: LogEntry[] = [];
  info(msg: string, fields?: Record<string, unknown>): void {
    this.entries.push({ level: 'info', msg, fields });
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.entries.push({ level: 'warn', msg, fields });
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.entries.push({ level: 'error', msg, fields });
  }
}

/** A message to produce as given, bytes untouched. */
export interface RawRecord {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  headers?: Record<string, string>;
  /** Force a partition; otherwise the key decides, as for the bus. */
  partition?: number;
}

/** Where a produced record landed. */
export interface ProducedRecord {
  topic: string;
  partition: number;
  offset: string;
}

/** A record read by a TopicCollector. */
export interface CollectedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** The value parsed as JSON. */
  json<T = unknown>(): T;
}

/** Everything a throwaway consumer group reads from some topics, with waits on it. */
export class TopicCollector {
  /** Records in arrival order. */
  readonly records: CollectedRecord[] = [];

  constructor(private readonly consumer: Consumer) {}

  /** Resolves with all records once `predicate` holds for them. */
  waitFor(predicate: (records: CollectedRecord[]) => boolean, opts: WaitForOptions = {}): Promise<CollectedRecord[]> {
    return waitFor(() => predicate(this.records) && this.records, { description: 'collected records', ...opts });
  }

  /** Resolves once at least `count` records arrived. */
  waitForCount(count: number, opts: WaitForOptions = {}): Promise<CollectedRecord[]> {
    return this.waitFor((r) => r.length >= count, { description: `${count} records (have ${this.records.length})`, ...opts });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/**
 * A Kafka client for tests: creates topics, produces raw bytes, collects topics. Uses the
 * bus' partitioner, so a raw record and a published event with the same key share a partition.
 */
export class KafkaTestClient {
  private readonly kafka: Kafka;
  private readonly collectors: TopicCollector[] = [];
  private producer?: Promise<Producer>;
  private admin?: Promise<Admin>;

  constructor(
    readonly brokers: string[] = testBrokers(),
    readonly logger: BusLogger = new LogCollector(),
  ) {
    this.kafka = createKafka({ brokers, clientId: uniqueName('baton-test-client'), logger });
  }

  /**
   * Creates topics (and by default their dead-letter twins); default 3 partitions to keep joins fast.
   * `maxMessageBytes` raises the topics' own `max.message.bytes` (not their twins').
   */
  async createTopics(topics: string[], opts: { partitions?: number; deadLetters?: boolean; maxMessageBytes?: number } = {}): Promise<void> {
    const admin = await this.getAdmin();
    if (opts.maxMessageBytes !== undefined) {
      const config = [{ name: 'max.message.bytes', value: String(opts.maxMessageBytes) }];
      await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: opts.partitions ?? 3, replicationFactor: 1, configEntries: config })) });
    }
    const all = opts.deadLetters === false ? topics : topics.flatMap((t) => [t, deadLetterTopic(t)]);
    await ensureTopicsExist(admin, all, opts.partitions ?? 3);
  }

  /** Names of every topic on the cluster. */
  async listTopics(): Promise<string[]> {
    return (await this.getAdmin()).listTopics();
  }

  /** Produces each record as given, one at a time so order and offsets are exact. */
  async produceRaw(topic: string, records: RawRecord[]): Promise<ProducedRecord[]> {
    const producer = await this.getProducer();
    const out: ProducedRecord[] = [];
    for (const record of records) {
      const [meta] = await producer.send({
        topic,
        messages: [{ key: record.key ?? null, value: record.value, headers: record.headers, partition: record.partition }],
      });
      if (!meta) throw new Error(`no metadata for a record sent to ${topic}`);
      out.push({ topic, partition: meta.partition, offset: meta.baseOffset ?? '-1' });
    }
    return out;
  }

  /** Starts collecting `topics` from the beginning with a fresh group; resolves once it has joined. */
  async collect(topics: string | string[]): Promise<TopicCollector> {
    const consumer = this.kafka.consumer({ groupId: uniqueName('collector'), ...CONSUMER_SETTINGS });
    const collector = new TopicCollector(consumer);
    this.collectors.push(collector);
    await consumer.connect();
    await consumer.subscribe({ topics: Array.isArray(topics) ? topics : [topics], fromBeginning: true });
    // run() resolves after the group join; with fromBeginning nothing produced later is missed.
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const value = message.value;
        collector.records.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key === null ? null : message.key.toString('utf8'),
          value,
          headers: decodeHeaders(message.headers),
          json: <T>() => JSON.parse(value?.toString('utf8') ?? 'null') as T,
        });
      },
    });
    return collector;
  }

  /**
   * Moves a consumer group to the end of `topic`, so a long-lived group (a shadow's, on a
   * live input) skips what earlier runs published while it was down. The group must have no
   * running member.
   */
  async skipToEnd(groupId: string, topic: string): Promise<void> {
    await (await this.getAdmin()).resetOffsets({ groupId, topic, earliest: false });
  }

  /** Member client ids of a consumer group, as the coordinator sees them now. */
  async groupMembers(groupId: string): Promise<string[]> {
    const { groups } = await (await this.getAdmin()).describeGroups([groupId]);
    return (groups[0]?.members ?? []).map((m) => m.clientId);
  }

  /** Disconnects everything this client opened. */
  async close(): Promise<void> {
    await Promise.all(this.collectors.map((c) => c.stop().catch(() => undefined)));
    if (this.producer) await (await this.producer).disconnect().catch(() => undefined);
    if (this.admin) await (await this.admin).disconnect().catch(() => undefined);
  }

  private getProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      return producer;
    })();
    return this.producer;
  }

  private getAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    return this.admin;
  }
}
