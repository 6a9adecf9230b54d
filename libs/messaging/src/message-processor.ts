import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { parseEvent, type BatonEvent, type BatonEventType, type DeadLetterRecord, type EventOfType } from '@baton/contracts';
import { Attr, runForTask } from '@baton/telemetry';
import { countConsumed, countDeadLetter } from './consumer-metrics';
import { buildDeadLetterRecord, errorMessage, eventIdOf, type DeadLetterReason } from './dead-letter';
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
}

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
  const { groupId, logger } = opts;

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
    const deadLetter = (reason: DeadLetterReason, error: unknown, attempts: number, eventId: string | null) =>
      sendToDeadLetter(incoming, span, { reason, error, attempts, eventId });

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

    let lastError: unknown;
    for (let attempt = 1; attempt <= opts.retry.attempts; attempt++) {
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
        lastError = error;
        span.recordException(error instanceof Error ? error : errorMessage(error));
        if (error instanceof UnprocessableEvent) return deadLetter(error.reason, error, attempt, event.eventId);
        if (attempt < opts.retry.attempts) {
          const delay = backoffMs(opts.retry, attempt);
          logger.warn('handler failed, retrying', { ...where(incoming), eventId: event.eventId, attempt, delayMs: delay, error: errorMessage(error) });
          await wait(delay);
          await heartbeat(incoming);
        }
      }
    }
    return deadLetter('handler_failed', lastError, opts.retry.attempts, event.eventId);
  }

  async function sendToDeadLetter(
    incoming: IncomingMessage,
    span: Span,
    failure: { reason: DeadLetterReason; error: unknown; attempts: number; eventId: string | null },
  ): Promise<void> {
    const { message } = incoming;
    const record = buildDeadLetterRecord({
      topic: incoming.topic,
      partition: incoming.partition,
      offset: message.offset,
      key: message.key,
      value: message.value,
      groupId,
      ...failure,
    });
    span.setAttribute(Attr.deadLetterReason, failure.reason);
    // A failed handler's exceptions were recorded per attempt; only the status is left to set.
    if (failure.attempts === 0) recordFailure(span, failure.error);
    else span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(failure.error) });
    logger.warn('message dead-lettered', {
      ...where(incoming),
      reason: failure.reason,
      attempts: failure.attempts,
      eventId: failure.eventId,
      error: record.error,
    });
    // Not caught: if the dead letter was not written the offset must not move past the message.
    await opts.publishDeadLetter(incoming.topic, message.key, record);
    countDeadLetter(groupId, incoming.topic, failure.reason);
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
