import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { parseEvent, type BatonEvent, type BatonEventType, type DeadLetterRecord, type EventOfType } from '@baton/contracts';
import { Attr, runForTask } from '@baton/telemetry';
import { countConsumed, countDeadLetter } from './consumer-metrics';
import { DEFAULT_MAX_DEAD_LETTER_BYTES, buildDeadLetterRecord, errorMessage, eventIdOf, type DeadLetterReason } from './dead-letter';
import { classifyError, isMessageTooLarge, type ErrorKind } from './error-kind';
import type { DedupeStore } from './dedupe';
import { decodeHeaders, type RawHeaders } from './headers';
import type { BusLogger } from './logger';
import { backoffMs, type RetryPolicy } from './retry';
import { sleep } from './timing';
import { eventAttributes, recordFailure, runInContext, startConsumerSpan } from './tracing';

/** What a handler knows about the message it is handling. */
export interface HandlerContext {
  topic: string;
  partition: number;
  offset: string;
  /** 1-based attempt number of this handler call. */
  attempt: number;
  /** Tells the group coordinator this consumer is alive; call it during long work. Never throws. */
  heartbeat(): Promise<void>;
}

/**
 * Thrown by a handler for an event that is valid but must never be handled (e.g. it reuses
 * another task's id): dead-lettered at once with `reason`, without retries; handling it
 * again would only refuse it again.
 */
export class UnprocessableEvent extends Error {
  constructor(
    readonly reason: DeadLetterReason,
    message: string,
  ) {
    super(message);
    this.name = 'UnprocessableEvent';
  }
}

/** Handlers of one subscription, by event type. */
export type EventHandlers = {
  [T in BatonEventType]?: (event: EventOfType<T>, ctx: HandlerContext) => Promise<void>;
};

/** A consumed message; the shape of kafkajs' `EachMessagePayload`, so it passes straight through. */
export interface IncomingMessage {
  topic: string;
  partition: number;
  message: { key: Buffer | null; value: Buffer | null; offset: string; headers?: RawHeaders };
  heartbeat(): Promise<void>;
}

/** Publishes a dead-letter record for a message of `originalTopic`; must reject if it was not written. */
export type DeadLetterPublisher = (originalTopic: string, key: Buffer | null, record: DeadLetterRecord) => Promise<void>;

/** Everything the per-message pipeline needs; no Kafka client, so it is testable alone. */
export interface MessageProcessorOptions {
  groupId: string;
  handlers: EventHandlers;
  dedupe: DedupeStore;
  retry: RetryPolicy;
  logger: BusLogger;
  publishDeadLetter: DeadLetterPublisher;
  /** Waits between attempts; injectable so unit tests do not sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** Clock in ms for the transient budget; injectable with `sleep`. */
  now?: () => number;
  /**
   * True once the consumer is stopping: a transient failure then rejects at once (the offset
   * stays uncommitted and the message is redelivered after the restart) instead of being
   * waited out past the shutdown budget or dead-lettered.
   */
  stopping?: () => boolean;
  /** Largest dead-letter record in bytes; a larger value is truncated. Default DEFAULT_MAX_DEAD_LETTER_BYTES. */
  maxDeadLetterBytes?: number;
}

// A broker whose `message.max.bytes` is below ours still refuses the record: the second try
// keeps only this much, enough to see what the message was.
const SMALL_DEAD_LETTER_BYTES = 16_384;

// kafkajs' heartbeat interval is 3 s (CONSUMER_SETTINGS): a wait longer than that is cut in
// slices with a heartbeat after each, so a consumer waiting out an outage keeps its partitions.
const HEARTBEAT_SLICE_MS = 2_500;

/** Handles one message; resolves once it is handled, skipped or dead-lettered, and so may be committed. */
export type MessageProcessor = (incoming: IncomingMessage) => Promise<void>;

type AnyHandler = (event: BatonEvent, ctx: HandlerContext) => Promise<void>;

/**
 * The consumer pipeline: decode, validate, dedupe, handle with retries, else dead-letter.
 * It rejects only when a dead letter could not be written, so kafkajs redelivers the message
 * instead of the offset moving past a message nobody kept.
 */
export function createMessageProcessor(opts: MessageProcessorOptions): MessageProcessor {
  const wait = opts.sleep ?? sleep;
  const now = opts.now ?? Date.now;
  const stopping = opts.stopping ?? (() => false);
  const { groupId, logger, retry } = opts;

  return async (incoming) => {
    const { topic, partition, message } = incoming;
    countConsumed(groupId, topic, partition);
    const key = message.key === null ? null : message.key.toString('utf8');
    const { span, context } = startConsumerSpan({
      topic,
      partition,
      offset: message.offset,
      key,
      groupId,
      headers: decodeHeaders(message.headers),
    });
    try {
      await runInContext(context, () => handleMessage(incoming, span));
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  };

  async function handleMessage(incoming: IncomingMessage, span: Span): Promise<void> {
    const { message } = incoming;
    const deadLetter = (reason: DeadLetterReason, error: unknown, attempts: number, eventId: string | null, kind: ErrorKind = 'poison') =>
      sendToDeadLetter(incoming, span, { reason, error, attempts, eventId, kind });

    let raw: unknown;
    try {
      if (message.value === null) throw new Error('message has no value');
      raw = JSON.parse(message.value.toString('utf8'));
    } catch (error) {
      return deadLetter('invalid_json', error, 0, null);
    }

    let event: BatonEvent;
    try {
      event = parseEvent(raw);
    } catch (error) {
      return deadLetter('invalid_event', error, 0, eventIdOf(raw));
    }
    span.setAttributes(eventAttributes(event));

    // Indexing the mapped type by a union key yields a union of handler types TypeScript
    // cannot call; the key is the event's own type, so widening is safe.
    const handler = opts.handlers[event.type] as AnyHandler | undefined;
    if (!handler) {
      return deadLetter('no_handler', new Error(`no handler for ${event.type} in group ${groupId}`), 0, event.eventId);
    }

    if (await alreadyDone(event, incoming)) {
      span.addEvent('duplicate skipped');
      return;
    }

    // Poison failures get `retry.attempts` quick tries; transient ones are waited out until
    // `retry.transientBudgetMs` after the first attempt (see error-kind.ts and retry.ts).
    const started = now();
    let poisonFailures = 0;
    let transientFailures = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        // Every span the handler starts (model calls included) is tagged with the event's task.
        await runForTask({ taskId: event.taskId, tenantId: event.tenantId }, () =>
          handler(event, {
            topic: incoming.topic,
            partition: incoming.partition,
            offset: message.offset,
            attempt,
            heartbeat: () => heartbeat(incoming),
          }),
        );
        await markDone(event, incoming);
        return;
      } catch (error) {
        span.recordException(error instanceof Error ? error : errorMessage(error));
        if (error instanceof UnprocessableEvent) return deadLetter(error.reason, error, attempt, event.eventId);
        const kind = classifyError(error);
        let delay: number;
        if (kind === 'poison') {
          if (++poisonFailures >= retry.attempts) return deadLetter('handler_failed', error, attempt, event.eventId, kind);
          delay = backoffMs(retry, poisonFailures);
        } else {
          // Redelivered after the restart rather than waited out past the shutdown budget.
          if (stopping()) throw error;
          delay = backoffMs(retry, ++transientFailures, 'transient');
          if (now() - started + delay > retry.transientBudgetMs) return deadLetter('handler_failed', error, attempt, event.eventId, kind);
        }
        logger.warn('handler failed, retrying', { ...where(incoming), eventId: event.eventId, attempt, kind, delayMs: delay, error: errorMessage(error) });
        await waitWithHeartbeats(incoming, delay);
      }
    }
  }

  /** Sleeps `ms` in slices, heartbeating after each. */
  async function waitWithHeartbeats(incoming: IncomingMessage, ms: number): Promise<void> {
    let left = ms;
    do {
      const slice = Math.min(left, HEARTBEAT_SLICE_MS);
      await wait(slice);
      left -= slice;
      await heartbeat(incoming);
    } while (left > 0);
  }

  async function sendToDeadLetter(
    incoming: IncomingMessage,
    span: Span,
    failure: { reason: DeadLetterReason; error: unknown; attempts: number; eventId: string | null; kind: ErrorKind },
  ): Promise<void> {
    const { message } = incoming;
    const build = (maxRecordBytes: number) =>
      buildDeadLetterRecord({
        topic: incoming.topic,
        partition: incoming.partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        groupId,
        ...failure,
        maxRecordBytes,
      });
    const record = build(opts.maxDeadLetterBytes ?? DEFAULT_MAX_DEAD_LETTER_BYTES);
    span.setAttribute(Attr.deadLetterReason, failure.reason);
    // A failed handler's exceptions were recorded per attempt; only the status is left to set.
    if (failure.attempts === 0) recordFailure(span, failure.error);
    else span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(failure.error) });
    logger.warn('message dead-lettered', {
      ...where(incoming),
      reason: failure.reason,
      kind: failure.kind,
      attempts: failure.attempts,
      eventId: failure.eventId,
      error: record.error,
      ...(record.truncated ? { truncated: true, originalBytes: record.originalBytes } : {}),
    });
    try {
      await publishWithRetry(incoming, record);
    } catch (error) {
      if (!isMessageTooLarge(error)) throw error;
      logger.warn('dead letter too large for the broker, writing a shorter one', { ...where(incoming), error: errorMessage(error) });
      await publishWithRetry(incoming, build(SMALL_DEAD_LETTER_BYTES));
    }
    countDeadLetter(groupId, incoming.topic, failure.reason);
  }

  /**
   * Writes the dead letter, waiting out a broker blip like a handler's transient failure.
   * Rejects when it still could not be written: the offset must not move past a message
   * nobody kept, so kafkajs redelivers it instead.
   */
  async function publishWithRetry(incoming: IncomingMessage, record: DeadLetterRecord): Promise<void> {
    const started = now();
    for (let failures = 1; ; failures++) {
      try {
        await opts.publishDeadLetter(incoming.topic, incoming.message.key, record);
        return;
      } catch (error) {
        if (classifyError(error) === 'poison' || stopping()) throw error;
        const delay = backoffMs(retry, failures, 'transient');
        if (now() - started + delay > retry.transientBudgetMs) throw error;
        logger.warn('dead letter not written, retrying', { ...where(incoming), delayMs: delay, error: errorMessage(error) });
        await waitWithHeartbeats(incoming, delay);
      }
    }
  }

  // A dedupe store outage must not dead-letter good events or stall the partition: fall back
  // to handling, which is safe because handlers are idempotent on the event id anyway.
  async function alreadyDone(event: BatonEvent, incoming: IncomingMessage): Promise<boolean> {
    try {
      return await opts.dedupe.isDone(groupId, event.eventId);
    } catch (error) {
      logger.warn('dedupe lookup failed, handling anyway', { ...where(incoming), eventId: event.eventId, error: errorMessage(error) });
      return false;
    }
  }

  async function markDone(event: BatonEvent, incoming: IncomingMessage): Promise<void> {
    try {
      await opts.dedupe.markDone(groupId, event.eventId);
    } catch (error) {
      logger.warn('dedupe mark failed; a redelivery would be handled again', {
        ...where(incoming),
        eventId: event.eventId,
        error: errorMessage(error),
      });
    }
  }

  // kafkajs' heartbeat throws while the group rebalances. Swallowed: the runner's own heartbeat
  // after this message rethrows it and rejoins, and the handler's work must not fail over it.
  async function heartbeat(incoming: IncomingMessage): Promise<void> {
    try {
      await incoming.heartbeat();
    } catch (error) {
      logger.warn('heartbeat failed', { ...where(incoming), error: errorMessage(error) });
    }
  }

  function where(incoming: IncomingMessage): Record<string, unknown> {
    return { groupId, topic: incoming.topic, partition: incoming.partition, offset: incoming.message.offset };
  }
}
