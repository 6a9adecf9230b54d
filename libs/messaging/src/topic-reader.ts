import { randomBytes } from 'node:crypto';
import { decodeHeaders } from './headers';
import { CONSUMER_SETTINGS, createKafka } from './kafka-client';
import { stderrLogger, type BusLogger } from './logger';
import { sleep } from './timing';

/** One record as a TopicReader read it: bytes untouched, no validation, no dedupe. */
export interface ReadRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** The value as UTF-8 text (null for a tombstone). */
  value: string | null;
  headers: Record<string, string>;
}

/** Options of readTopicsToEnd. */
export interface ReadTopicsOptions {
  brokers: string[];
  /** Topics to read; a topic that does not exist is skipped. */
  topics: string[];
  /** Give up after this long, ms (default 120 s): the records read so far come back with `complete: false`. */
  timeoutMs?: number;
  logger?: BusLogger;
}

/**
 * Every record of `topics`, from the beginning up to their end as of the call, read raw by a
 * fresh consumer group (no dedupe, no handler): what an auditor sees, duplicates included.
 * For offline checks (the chaos run's invariants, audits), not for services.
 */
export async function readTopicsToEnd(opts: ReadTopicsOptions): Promise<{ records: ReadRecord[]; complete: boolean }> {
  const logger = opts.logger ?? stderrLogger;
  const kafka = createKafka({ brokers: opts.brokers, clientId: `baton-reader-${randomBytes(4).toString('hex')}`, logger });
  const admin = kafka.admin();
  await admin.connect();
  const records: ReadRecord[] = [];
  // Per topic and partition, the offset of the last record present at the start.
  const remaining = new Map<string, bigint>();
  let topics: string[];
  try {
    const existing = new Set(await admin.listTopics());
    topics = [...new Set(opts.topics)].filter((t) => existing.has(t));
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        const high = BigInt(p.high);
        if (high > BigInt(p.low)) remaining.set(`${topic}/${p.partition}`, high - 1n);
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (remaining.size === 0) return { records, complete: true };
  const consumer = kafka.consumer({ groupId: `baton-reader.${Date.now().toString(36)}.${randomBytes(4).toString('hex')}`, ...CONSUMER_SETTINGS });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      // Nothing to commit: the group is thrown away.
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const at = `${topic}/${partition}`;
        const last = remaining.get(at);
        if (last === undefined) return;
        records.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key === null ? null : message.key.toString('utf8'),
          value: message.value === null ? null : message.value.toString('utf8'),
          headers: decodeHeaders(message.headers),
        });
        if (BigInt(message.offset) >= last) remaining.delete(at);
      },
    });
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    while (remaining.size > 0 && Date.now() < deadline) await sleep(100);
    return { records: records.filter((r) => BigInt(r.offset) >= 0n), complete: remaining.size === 0 };
  } finally {
    await consumer.disconnect();
  }
}

/** Names of every topic on the cluster. */
export async function listTopics(brokers: string[], logger: BusLogger = stderrLogger): Promise<string[]> {
  const kafka = createKafka({ brokers, clientId: `baton-reader-${randomBytes(4).toString('hex')}`, logger });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}
