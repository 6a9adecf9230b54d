import { randomUUID } from 'node:crypto';
import type { Admin, IHeaders, Kafka } from 'kafkajs';
import { DeadLetterRecord } from '@baton/contracts';
import { CONSUMER_SETTINGS } from './kafka-client';
import { withTimeout } from './timing';

/** One message as read back from a topic. */
export interface StoredMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
}

/** A dead letter as stored on a dead-letter topic. */
export interface StoredDeadLetter {
  /** The dead-letter topic it is stored on. */
  topic: string;
  /** Its partition and offset there: its address for `show` and `redrive`. */
  partition: number;
  offset: string;
  record: DeadLetterRecord;
}

/** Offsets [from, to) to read per partition. */
type Ranges = Map<number, { from: bigint; to: bigint }>;

const READ_TIMEOUT_MS = 10_000;

/**
 * Reads the given offset ranges of `topic` with a short-lived consumer in a throwaway group
 * that never commits (kafkajs has no manual assignment: the group is the only way in).
 * Resolves once every range was read, or rejects after READ_TIMEOUT_MS.
 */
export async function readRanges(kafka: Kafka, admin: Admin, topic: string, ranges: Ranges): Promise<StoredMessage[]> {
  const wanted = new Map([...ranges].filter(([, r]) => r.from < r.to));
  if (wanted.size === 0) return [];
  const groupId = `baton-dead-letter-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, ...CONSUMER_SETTINGS });
  const out: StoredMessage[] = [];
  const left = new Set(wanted.keys());
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const range = wanted.get(partition);
        if (!range) return;
        const at = BigInt(message.offset);
        if (at >= range.from && at < range.to) {
          out.push({ topic, partition, offset: message.offset, key: message.key, value: message.value, headers: message.headers ?? {} });
        }
        // The last offset of a range may be a transaction marker, never delivered: the next one ends it too.
        if (at >= range.to - 1n && left.delete(partition) && left.size === 0) done();
      },
    });
    for (const [partition, range] of wanted) consumer.seek({ topic, partition, offset: String(range.from) });
    await withTimeout(finished, READ_TIMEOUT_MS, `reading ${topic}`);
    return out;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    // Nothing was committed, so the group holds no offsets: deleting it only tidies the broker's list.
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}

/** The message at `topic`/`partition`/`offset`, or null when the topic no longer holds it. */
export async function readMessageAt(kafka: Kafka, admin: Admin, topic: string, partition: number, offset: string): Promise<StoredMessage | null> {
  const at = BigInt(offset);
  const bounds = (await admin.fetchTopicOffsets(topic)).find((p) => p.partition === partition);
  if (!bounds || at < BigInt(bounds.low) || at >= BigInt(bounds.high)) return null;
  const [message] = await readRanges(kafka, admin, topic, new Map([[partition, { from: at, to: at + 1n }]]));
  return message && message.offset === offset ? message : null;
}

/** The latest `perPartition` records of every partition of a dead-letter topic, newest first. */
export async function readLatestDeadLetters(kafka: Kafka, admin: Admin, topic: string, perPartition: number): Promise<StoredDeadLetter[]> {
  const ranges: Ranges = new Map();
  for (const p of await admin.fetchTopicOffsets(topic)) {
    const high = BigInt(p.high);
    const low = BigInt(p.low);
    const from = high - BigInt(perPartition) > low ? high - BigInt(perPartition) : low;
    ranges.set(p.partition, { from, to: high });
  }
  const stored = (await readRanges(kafka, admin, topic, ranges)).map(toDeadLetter).filter((d): d is StoredDeadLetter => d !== null);
  return stored.sort((a, b) => b.record.failedAt.localeCompare(a.record.failedAt));
}

/** A dead-letter message as its record; null when it does not hold one (written by hand). */
export function toDeadLetter(message: StoredMessage): StoredDeadLetter | null {
  try {
    const record = DeadLetterRecord.parse(JSON.parse(message.value?.toString('utf8') ?? 'null'));
    return { topic: message.topic, partition: message.partition, offset: message.offset, record };
  } catch {
    return null;
  }
}

/**
 * The tenant of a dead-lettered event: its envelope's `tenantId`, read from the whole value,
 * or found in the kept prefix of a truncated one. Null when there is none (not JSON, no envelope).
 */
export function tenantOfDeadLetter(record: DeadLetterRecord): string | null {
  if (record.value === null || record.valueEncoding !== 'utf8') return null;
  if (!record.truncated) {
    try {
      const parsed = JSON.parse(record.value) as { tenantId?: unknown };
      return typeof parsed === 'object' && parsed !== null && typeof parsed.tenantId === 'string' ? parsed.tenantId : null;
    } catch {
      // Not JSON (an invalid_json record): fall through to the prefix search, which finds nothing trustworthy.
      return null;
    }
  }
  return /^\{[^{]*?"tenantId"\s*:\s*"([a-z0-9-]{1,64})"/.exec(record.value)?.[1] ?? null;
}
