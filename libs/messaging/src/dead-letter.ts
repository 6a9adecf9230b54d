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
}

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

/** Builds the record published to the dead-letter topic; validated so a bug here cannot emit a bad record. */
export function buildDeadLetterRecord(input: DeadLetterInput): DeadLetterRecord {
  return DeadLetterRecord.parse({
    originalTopic: input.topic,
    partition: input.partition,
    offset: input.offset,
    key: input.key === null ? null : input.key.toString('utf8'),
    ...encodeValue(input.value),
    consumerGroup: input.groupId,
    reason: input.reason,
    ...(input.kind ? { kind: input.kind } : {}),
    error: errorMessage(input.error),
    attempts: input.attempts,
    eventId: input.eventId,
    failedAt: (input.now ?? new Date()).toISOString(),
  });
}
