import { randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { causedBy, createEvent } from '@baton/contracts';
import { Attr } from '@baton/telemetry';
import { MessageBus } from './index';
import { KafkaTestClient, LogCollector, testBrokers, uniqueName, waitFor } from './testing';

// The per-project testTimeout in jest.config.js does not reach the test runner; set it here.
jest.setTimeout(30_000);

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
// Deliberately no context manager: the bus must keep one trace across hops without one.
trace.setGlobalTracerProvider(provider);
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

const brokers = testBrokers();
const kafka = new KafkaTestClient(brokers);
const bus = new MessageBus({ brokers, clientId: uniqueName('trace'), logger: new LogCollector() });

afterAll(async () => {
  await bus.close();
  await kafka.close();
  await provider.shutdown();
});

function only(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((s) => s.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
}

it('keeps one trace from a publish through a handler that publishes a follow-up', async () => {
  const [first, second] = [uniqueName('trace-a'), uniqueName('trace-b')];
  await bus.ensureTopics([first, second], { partitions: 2 });
  let followUpHandled = false;
  const firstGroup = uniqueName('group-a');
  await bus.subscribe({
    groupId: firstGroup,
    topics: [first],
    handlers: {
      'task.submitted': async (e) => {
        const admitted = createEvent('task.admitted', causedBy(e), { ...e.data, redactions: [] });
        await bus.publish(admitted, second);
      },
    },
  });
  await bus.subscribe({
    groupId: uniqueName('group-b'),
    topics: [second],
    handlers: {
      'task.admitted': async () => {
        followUpHandled = true;
      },
    },
  });
  const collector = await kafka.collect(second);

  const root = createEvent('task.submitted', { tenantId: 'acme', taskId: randomUUID(), causationId: null }, { taskType: 'lead.qualify', input: { text: 'trace me' } });
  await bus.publish(root, first);
  await waitFor(() => followUpHandled, { description: 'the follow-up handled' });
  // The last consumer span ends just after its handler resolves.
  const spans = await waitFor(() => exporter.getFinishedSpans().length >= 4 && exporter.getFinishedSpans(), { description: 'four spans' });

  const publishFirst = only(spans, `publish ${first}`);
  const processFirst = only(spans, `process ${first}`);
  const publishSecond = only(spans, `publish ${second}`);
  const processSecond = only(spans, `process ${second}`);

  expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
  expect(publishFirst.kind).toBe(SpanKind.PRODUCER);
  expect(processFirst.kind).toBe(SpanKind.CONSUMER);
  expect(publishFirst.parentSpanContext).toBeUndefined();
  expect(processFirst.parentSpanContext?.spanId).toBe(publishFirst.spanContext().spanId);
  expect(publishSecond.parentSpanContext?.spanId).toBe(processFirst.spanContext().spanId);
  expect(processSecond.parentSpanContext?.spanId).toBe(publishSecond.spanContext().spanId);

  expect(publishFirst.attributes).toMatchObject({
    [Attr.messagingSystem]: 'kafka',
    [Attr.messagingDestination]: first,
    [Attr.messagingKafkaKey]: root.taskId,
    [Attr.taskId]: root.taskId,
    [Attr.tenantId]: 'acme',
    [Attr.eventType]: 'task.submitted',
    [Attr.eventId]: root.eventId,
  });
  expect(processFirst.attributes).toMatchObject({
    [Attr.messagingSystem]: 'kafka',
    [Attr.messagingDestination]: first,
    [Attr.messagingConsumerGroup]: firstGroup,
    [Attr.eventId]: root.eventId,
    [Attr.eventType]: 'task.submitted',
  });
  expect(typeof processFirst.attributes[Attr.messagingPartition]).toBe('string');
  expect(typeof processFirst.attributes[Attr.messagingKafkaOffset]).toBe('string');

  // The follow-up carries the W3C context of its producer span in its headers.
  const [record] = await collector.waitForCount(1);
  expect(record!.headers['traceparent']).toBe(`00-${publishSecond.spanContext().traceId}-${publishSecond.spanContext().spanId}-01`);
  expect(record!.headers['baton-event-type']).toBe('task.admitted');
});

it('marks the consumer span failed with the dead-letter reason', async () => {
  const topic = uniqueName('trace-dlt');
  await bus.ensureTopics([topic], { partitions: 1 });
  await bus.subscribe({ groupId: uniqueName('group-dlt'), topics: [topic], handlers: {} });
  exporter.reset();
  const [sent] = await kafka.produceRaw(topic, [{ key: 'k', value: 'not json' }]);
  const span = await waitFor(
    () => exporter.getFinishedSpans().find((s) => s.name === `process ${topic}` && s.attributes[Attr.messagingKafkaOffset] === sent!.offset),
    { description: 'the consumer span' },
  );
  expect(span.status.code).toBe(SpanStatusCode.ERROR);
  expect(span.attributes[Attr.deadLetterReason]).toBe('invalid_json');
  expect(span.events.some((e) => e.name === 'exception')).toBe(true);
  // The dead letter's own publish is a child of the consumer span.
  const dltPublish = await waitFor(() => exporter.getFinishedSpans().find((s) => s.name === `publish ${topic}.dlt`), { description: 'the dead-letter publish' });
  expect(dltPublish.parentSpanContext?.spanId).toBe(span.spanContext().spanId);
});
