import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Attr } from './names';
import { withSpan } from './spans';
import { runForTask, SpanTagger } from './task-context';

const exporter = new InMemorySpanExporter();
const manager = new AsyncLocalStorageContextManager().enable();

beforeAll(() => {
  context.setGlobalContextManager(manager);
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SpanTagger('baton-test'), new SimpleSpanProcessor(exporter)] }),
  );
});
afterAll(() => {
  trace.disable();
  context.disable();
});
beforeEach(() => exporter.reset());

/** A span's attributes without the service name every span carries. */
function attrsOf(name: string) {
  const attrs = { ...exporter.getFinishedSpans().find((s) => s.name === name)?.attributes };
  expect(attrs[Attr.serviceName]).toBe('baton-test');
  delete attrs[Attr.serviceName];
  return attrs;
}

describe('SpanTagger', () => {
  it('tags spans started inside a task, however deep, and leaves others alone', async () => {
    const tracer = trace.getTracer('test');
    await runForTask({ taskId: 't-1', tenantId: 'acme' }, async () => {
      await tracer.startActiveSpan('outer', async (outer) => {
        await Promise.resolve();
        tracer.startSpan('inner').end();
        outer.end();
      });
    });
    tracer.startSpan('outside').end();
    expect(attrsOf('outer')).toEqual({ [Attr.taskId]: 't-1', [Attr.tenantId]: 'acme' });
    expect(attrsOf('inner')).toEqual({ [Attr.taskId]: 't-1', [Attr.tenantId]: 'acme' });
    expect(attrsOf('outside')).toEqual({});
  });

  it('keeps the task a span names itself', () => {
    runForTask({ taskId: 't-1', tenantId: 'acme' }, () => {
      trace.getTracer('test').startSpan('other task', { attributes: { [Attr.taskId]: 't-2', [Attr.tenantId]: 'globex' } }).end();
    });
    expect(attrsOf('other task')).toEqual({ [Attr.taskId]: 't-2', [Attr.tenantId]: 'globex' });
  });

  it('passes the task of a withSpan on to the spans started within it', async () => {
    await withSpan('work', { [Attr.taskId]: 't-3', [Attr.tenantId]: 'acme' }, async () => {
      trace.getTracer('@baton/llm').startSpan('chat sim-mini').end();
    });
    expect(attrsOf('chat sim-mini')).toEqual({ [Attr.taskId]: 't-3', [Attr.tenantId]: 'acme' });
  });
});
