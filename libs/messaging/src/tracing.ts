import { AsyncLocalStorage } from 'node:async_hooks';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { BatonEvent } from '@baton/contracts';
import { Attr } from '@baton/telemetry';
import { errorMessage } from './dead-letter';

const TRACER_NAME = '@baton/messaging';
const MESSAGING_SYSTEM = 'kafka';

/**
 * The consumer span context of the handler running in this async flow. `context.with` is a
 * no-op until the app registers a context manager; this keeps one trace across every hop
 * even then (tests with a bare tracer provider, a service that loads the SDK late).
 */
const handlerContext = new AsyncLocalStorage<Context>();

function tracer() {
  // Looked up per call: the API proxies to whatever provider the SDK registers later.
  return trace.getTracer(TRACER_NAME);
}

/** Span attributes identifying a Baton event. */
export function eventAttributes(event: Pick<BatonEvent, 'eventId' | 'type' | 'taskId' | 'tenantId'>): Attributes {
  return {
    [Attr.messagingMessageId]: event.eventId,
    [Attr.eventId]: event.eventId,
    [Attr.eventType]: event.type,
    [Attr.taskId]: event.taskId,
    [Attr.tenantId]: event.tenantId,
  };
}

/** The context a publish is parented on: the active span, else the handler being run, else none. */
export function publishParentContext(): Context {
  const active = context.active();
  if (trace.getSpan(active)) return active;
  return handlerContext.getStore() ?? active;
}

/** A started PRODUCER span and the headers carrying its context. */
export interface ProducerSpan {
  span: Span;
  /** Trace context to put in the Kafka headers (whatever the global propagator writes). */
  traceHeaders: Record<string, string>;
}

/** Starts the `publish <topic>` span of one message and injects its context into a header carrier. */
export function startProducerSpan(topic: string, key: string | null, attributes: Attributes = {}): ProducerSpan {
  const parent = publishParentContext();
  const span = tracer().startSpan(
    `publish ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        [Attr.messagingSystem]: MESSAGING_SYSTEM,
        [Attr.messagingOperationType]: 'send',
        [Attr.messagingDestination]: topic,
        ...(key === null ? {} : { [Attr.messagingKafkaKey]: key }),
        ...attributes,
      },
    },
    parent,
  );
  const traceHeaders: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), traceHeaders);
  return { span, traceHeaders };
}

/** Where a consumed message came from. */
export interface ConsumedMessageInfo {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  groupId: string;
  /** Decoded Kafka headers. */
  headers: Record<string, string>;
}

/** A started CONSUMER span and the context to run the handler in. */
export interface ConsumerSpan {
  span: Span;
  context: Context;
}

/** Starts the `process <topic>` span, parented on the trace context found in the message headers. */
export function startConsumerSpan(info: ConsumedMessageInfo): ConsumerSpan {
  // Extract onto ROOT, not the active context: the kafkajs fetch loop may have been started
  // inside some unrelated span, which must not become the parent of every message.
  const parent = propagation.extract(ROOT_CONTEXT, info.headers);
  const span = tracer().startSpan(
    `process ${info.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        [Attr.messagingSystem]: MESSAGING_SYSTEM,
        [Attr.messagingOperationType]: 'process',
        [Attr.messagingDestination]: info.topic,
        [Attr.messagingConsumerGroup]: info.groupId,
        [Attr.messagingPartition]: String(info.partition),
        [Attr.messagingKafkaOffset]: info.offset,
        ...(info.key === null ? {} : { [Attr.messagingKafkaKey]: info.key }),
      },
    },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

/** Runs `fn` with `ctx` active, so spans and publishes inside it become its children. */
export function runInContext<T>(ctx: Context, fn: () => Promise<T>): Promise<T> {
  return context.with(ctx, () => handlerContext.run(ctx, fn));
}

/** Marks a span failed with the error attached. */
export function recordFailure(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : errorMessage(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
}
