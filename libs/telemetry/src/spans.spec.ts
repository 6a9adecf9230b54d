import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { Attr, TRACER_NAME } from './names';
import { currentTraceId, setTaskAttributes, withSpan } from './spans';

describe('spans', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

  beforeAll(() => provider.register());
  afterEach(() => exporter.reset());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  it('runs fn in an active span with the given attributes and kind, then ends it', async () => {
    const result = await withSpan('route task', { [Attr.routeModel]: 'sim-small', n: 3, ok: true, skipped: undefined }, async (span) => {
      expect(trace.getActiveSpan()).toBe(span);
      return 42;
    }, { kind: SpanKind.CONSUMER });
    expect(result).toBe(42);
    const [span] = exporter.getFinishedSpans();
    expect(span!.name).toBe('route task');
    expect(span!.kind).toBe(SpanKind.CONSUMER);
    expect(span!.attributes).toEqual({ [Attr.routeModel]: 'sim-small', n: 3, ok: true });
    expect(span!.instrumentationScope.name).toBe(TRACER_NAME);
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('defaults to an internal span', async () => {
    await withSpan('x', {}, async () => undefined);
    expect(exporter.getFinishedSpans()[0]!.kind).toBe(SpanKind.INTERNAL);
  });

  it('records an exception with ERROR status, rethrows and still ends the span', async () => {
    const boom = new Error('model timed out');
    await expect(withSpan('call model', {}, async () => Promise.reject(boom))).rejects.toBe(boom);
    const [span] = exporter.getFinishedSpans();
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'model timed out' });
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
    expect(span!.events[0]!.attributes).toMatchObject({ 'exception.message': 'model timed out', 'exception.type': 'Error' });
  });

  it('handles a synchronous throw and non-Error values', async () => {
    await expect(
      withSpan('sync', {}, () => {
        throw 'plain string';
      }),
    ).rejects.toBe('plain string');
    await expect(withSpan('obj', {}, async () => Promise.reject({ code: 42 }))).rejects.toEqual({ code: 42 });
    const [a, b] = exporter.getFinishedSpans();
    expect(a!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'plain string' });
    expect(b!.status).toEqual({ code: SpanStatusCode.ERROR, message: '{"code":42}' });
  });

  it('nests: a span started inside is a child in the same trace, across awaits', async () => {
    let outerTrace: string | null = null;
    await withSpan('outer', {}, async () => {
      outerTrace = currentTraceId();
      await new Promise((r) => setTimeout(r, 5));
      await withSpan('inner', {}, async () => {
        expect(currentTraceId()).toBe(outerTrace);
      });
    });
    const [inner, outer] = exporter.getFinishedSpans();
    expect(inner!.parentSpanContext?.spanId).toBe(outer!.spanContext().spanId);
    expect(outer!.spanContext().traceId).toBe(outerTrace);
    expect(outerTrace).toMatch(/^[0-9a-f]{32}$/);
  });

  it('currentTraceId is null outside any span', () => {
    expect(currentTraceId()).toBeNull();
  });

  it('setTaskAttributes tags the span with the registered task and tenant names', async () => {
    await withSpan('t', {}, async (span) => setTaskAttributes(span, 'task-1', 'acme'));
    expect(exporter.getFinishedSpans()[0]!.attributes).toEqual({ 'baton.task.id': 'task-1', 'baton.tenant.id': 'acme' });
  });
});
