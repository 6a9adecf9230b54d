import { z } from 'zod';

/** What a dead-letter topic carries: the original message untouched, where it came from and why it failed. */
export const DeadLetterRecord = z.object({
  /** Topic the message was consumed from. */
  originalTopic: z.string(),
  /** Partition it was consumed from. */
  partition: z.number().int().nonnegative(),
  /** Its offset in that partition. */
  offset: z.string(),
  /** Its Kafka key, as UTF-8, if any. */
  key: z.string().nullable(),
  /** Its value: UTF-8 text, or base64 when `valueEncoding` says so. */
  value: z.string().nullable(),
  /** How `value` is encoded. */
  valueEncoding: z.enum(['utf8', 'base64']),
  /**
   * True when `value` holds only the first bytes of the original, which was too large for a
   * dead-letter message: read the original at `originalTopic`/`partition`/`offset` while the
   * topic retains it. Absent when `value` is whole.
   */
  truncated: z.literal(true).optional(),
  /** Size of the original value in bytes, when `truncated`. */
  originalBytes: z.number().int().nonnegative().optional(),
  /** Consumer group that gave up on it. */
  consumerGroup: z.string(),
  /**
   * Why it failed: `invalid_json`, `invalid_event`, `no_handler`, `handler_failed`, or
   * `duplicate_task_id` (a `task.submitted` reusing the id of a task another event submitted).
   */
  reason: z.enum(['invalid_json', 'invalid_event', 'no_handler', 'handler_failed', 'duplicate_task_id']),
  /**
   * Whether the last error was `transient` (the infrastructure was down for longer than the
   * retry budget: redrive it once it is back) or `poison` (the message itself cannot be handled).
   * Absent in records written before it existed.
   */
  kind: z.enum(['transient', 'poison']).optional(),
  /** The last error message. */
  error: z.string(),
  /** How many times the handler was tried (0 when the message never reached it). */
  attempts: z.number().int().nonnegative(),
  /** Event id, when the message parsed far enough to have one. */
  eventId: z.string().nullable(),
  /** When it was dead-lettered (ISO 8601). */
  failedAt: z.string().datetime(),
});
export type DeadLetterRecord = z.infer<typeof DeadLetterRecord>;
