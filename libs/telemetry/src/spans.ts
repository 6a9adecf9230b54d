import {
  type Attributes,
  type Exception,
  type Span,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context,
  isSpanContextValid,
  trace,
} from '@opentelemetry/api';
import { Attr, TRACER_NAME } from './names';
import { runForTask } from './task-context';

/** Attribute values withSpan accepts; undefined ones are left out. */
export type SpanAttrs = Record<string, string | number | boolean | undefined>;

function defined(attrs: SpanAttrs): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) out[k] = v;
  return out;
}

function asException(err: unknown): Exception & { message: string } {
  if (err instanceof Error) return err;
  // Something other than an Error was thrown; keep what it said.
  let message: string;
  try {
    message = typeof err === 'string' ? err : (JSON.stringify(err) ?? String(err));
  } catch {
    message = String(err);
  }
  return { name: 'NonError', message };
}

/** A span of an earlier piece of work to hang new work under, e.g. a task's submission. */
export interface SpanParent {
  traceId: string | null;
  spanId: string | null;
}

/** Options of withSpan. */
export interface WithSpanOptions {
  kind?: SpanKind;
  /**
   * Parent the span on this span instead of the active one: work that no message or
   * request carries the context to (a timer, a human's decision hours later) then stays
   * in its task's trace. Ignored when it is not a valid span context.
   */
  parent?: SpanParent | null;
}

function parentContext(parent: SpanParent | null | undefined) {
  if (!parent?.traceId || !parent.spanId) return context.active();
  const spanContext = { traceId: parent.traceId, spanId: parent.spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true };
  return isSpanContextValid(spanContext) ? trace.setSpanContext(ROOT_CONTEXT, spanContext) : context.active();
}

/**
 * Runs `fn` inside a new active span, so spans started within (and Kafka headers written
 * within) are its children. A throw is recorded as an exception event with ERROR status
 * and rethrown; the span always ends.
 */
export function withSpan<T>(name: string, attrs: SpanAttrs, fn: (span: Span) => Promise<T>, opts: WithSpanOptions = {}): Promise<T> {
  const tracer = trace.getTracer(TRACER_NAME);
  const taskId = attrs[Attr.taskId];
  const tenantId = attrs[Attr.tenantId];
  const spanOpts = { kind: opts.kind ?? SpanKind.INTERNAL, attributes: defined(attrs) };
  return tracer.startActiveSpan(name, spanOpts, parentContext(opts.parent), async (span) => {
    try {
      // Spans started inside (the model client's, a library's) are tagged with the task too.
      if (typeof taskId === 'string' && typeof tenantId === 'string') return await runForTask({ taskId, tenantId }, () => fn(span));
      return await fn(span);
    } catch (err) {
      const exception = asException(err);
      span.recordException(exception);
      span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Sets attributes on the active span, if there is one (a no-op outside any span). */
export function annotateCurrentSpan(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

/** Trace id of the active span, or null outside any (or inside a non-recording invalid) span. */
export function currentTraceId(): string | null {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && isSpanContextValid(ctx) ? ctx.traceId : null;
}

/** The active span's ids as log lines carry them (`trace_id`, `span_id`); empty outside any valid span. */
export function logCorrelation(): { trace_id?: string; span_id?: string } {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
}

/** Span id of the active span, or null outside any valid span. */
export function currentSpanId(): string | null {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && isSpanContextValid(ctx) ? ctx.spanId : null;
}

/** Tags a span with the task and tenant, as every span about a task must be. */
export function setTaskAttributes(span: Span, taskId: string, tenantId: string): void {
  span.setAttributes({ [Attr.taskId]: taskId, [Attr.tenantId]: tenantId });
}
