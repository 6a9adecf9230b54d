import { isUtf8 } from 'node:buffer';
import { DeadLetterRecord } from '@baton/contracts';

/** Why a message went to the dead-letter topic. */
export type DeadLetterReason = DeadLetterRecord['reason'];

/** Everything known about a message when the consumer gives up on it. */
export interface DeadLetterInput {
  /** Topic it was consumed from. */
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Consumer group giving up. */
  groupId: string;
  reason: DeadLetterReason;
  /** Whether the last error was transient (outlasted the retry budget) or poison. */
  kind?: DeadLetterRecord['kind'];
  /** The last error; any thrown value. */
  error: unknown;
  /** Handler attempts made (0 when the handler was never reached). */
  attempts: number;
  /** Event id, when the value parsed far enough to have one. */
  eventId: string | null;
  /** Clock, injectable for tests. */
  now?: Date;
  /**
   * Largest serialized record, in bytes; a larger one keeps only the first bytes of the value
   * (`truncated`, `originalBytes`). Default DEFAULT_MAX_DEAD_LETTER_BYTES.
   */
  maxRecordBytes?: number;
}

/**
 * The broker's default `message.max.bytes` is 1048588 for a whole record batch; 1,000,000
 * for the JSON leaves room for the key, the headers and the batch framing.
 */
export const DEFAULT_MAX_DEAD_LETTER_BYTES = 1_000_000;

// An error text past this is cut: it is for people, and must not crowd out the value.
const MAX_ERROR_CHARS = 8_192;

/** A thrown value as one line of text. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** The value as UTF-8 text when it is valid UTF-8, else base64, so the original bytes are never lost. */
export function encodeValue(value: Buffer | null): Pick<DeadLetterRecord, 'value' | 'valueEncoding'> {
  if (value === null) return { value: null, valueEncoding: 'utf8' };
  if (isUtf8(value)) return { value: value.toString('utf8'), valueEncoding: 'utf8' };
  return { value: value.toString('base64'), valueEncoding: 'base64' };
}

/** Recovers the original bytes of a dead-lettered value. */
export function decodeDeadLetterValue(record: Pick<DeadLetterRecord, 'value' | 'valueEncoding'>): Buffer | null {
  if (record.value === null) return null;
  return Buffer.from(record.value, record.valueEncoding === 'base64' ? 'base64' : 'utf8');
}

/** The event id of a value that failed validation, if it carries a string one. */
export function eventIdOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const id = (raw as { eventId?: unknown }).eventId;
  return typeof id === 'string' ? id : null;
}

/**
 * Builds the record published to the dead-letter topic; validated so a bug here cannot emit a
 * bad record. A record over `maxRecordBytes` keeps only as much of the value as fits: a dead
 * letter the broker refuses as too large would otherwise block its partition forever.
 */
export function buildDeadLetterRecord(input: DeadLetterInput): DeadLetterRecord {
  const max = input.maxRecordBytes ?? DEFAULT_MAX_DEAD_LETTER_BYTES;
  const whole = recordWith(input, encodeValue(input.value));
  const size = recordBytes(whole);
  if (size <= max || input.value === null || input.value.length === 0) return whole;
  // The value's JSON may be larger than its bytes (escapes): scale by that ratio, then shrink until it fits.
  const overhead = recordBytes({ ...whole, value: '' }) + 64;
  const perByte = (size - overhead) / input.value.length;
  let keep = Math.max(0, Math.floor((max - overhead) / perByte));
  for (;;) {
    const record = recordWith(input, { ...encodeValue(prefix(input.value, keep)), truncated: true, originalBytes: input.value.length });
    if (recordBytes(record) <= max || keep === 0) return record;
    keep = Math.floor(keep * 0.9);
  }
}

/** The first `n` bytes of `value`, cut back to a character boundary when the whole is UTF-8 text. */
function prefix(value: Buffer, n: number): Buffer {
  const head = value.subarray(0, n);
  if (!isUtf8(value)) return head;
  // A UTF-8 character is at most 4 bytes: at most 3 bytes of a cut one need dropping.
  for (let cut = head.length; cut >= Math.max(0, head.length - 3); cut--) {
    if (isUtf8(head.subarray(0, cut))) return head.subarray(0, cut);
  }
  return head.subarray(0, 0);
}

function recordBytes(record: DeadLetterRecord): number {
  return Buffer.byteLength(JSON.stringify(record), 'utf8');
}

function recordWith(input: DeadLetterInput, value: Pick<DeadLetterRecord, 'value' | 'valueEncoding' | 'truncated' | 'originalBytes'>): DeadLetterRecord {
  const error = errorMessage(input.error);
  return DeadLetterRecord.parse({
    originalTopic: input.topic,
    partition: input.partition,
    offset: input.offset,
    key: input.key === null ? null : input.key.toString('utf8'),
    ...value,
    consumerGroup: input.groupId,
    reason: input.reason,
    ...(input.kind ? { kind: input.kind } : {}),
    error: error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS)}…` : error,
    attempts: input.attempts,
    eventId: input.eventId,
    failedAt: (input.now ?? new Date()).toISOString(),
  });
}
