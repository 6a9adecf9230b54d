import { type Attributes, type Exception, type Span, SpanKind, SpanStatusCode, isSpanContextValid, trace } from '@opentelemetry/api';
import { Attr, TRACER_NAME } from './names';

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

/**
 * Runs `fn` inside a new active span, so spans started within (and Kafka headers written
 * within) are its children. A throw is recorded as an exception event with ERROR status
 * and rethrown; the span always ends.
 */
export function withSpan<T>(
  name: string,
  attrs: SpanAttrs,
  fn: (span: Span) => Promise<T>,
  opts: { kind?: SpanKind } = {},
): Promise<T> {
  const tracer = trace.getTracer(TRACER_NAME);
  return tracer.startActiveSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes: defined(attrs) }, async (span) => {
    try {
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

/** Trace id of the active span, or null outside any (or inside a non-recording invalid) span. */
/** Sets attributes on the active span, if there is one (a no-op outside any span). */
export function annotateCurrentSpan(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

export function currentTraceId(): string | null {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && isSpanContextValid(ctx) ? ctx.traceId : null;
}

/** Tags a span with the task and tenant, as every span about a task must be. */
export function setTaskAttributes(span: Span, taskId: string, tenantId: string): void {
  span.setAttributes({ [Attr.taskId]: taskId, [Attr.tenantId]: tenantId });
}
