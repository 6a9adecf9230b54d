import { context, createContextKey, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Attr } from './names';

/** The task a piece of work is about. */
export interface TaskRef {
  taskId: string;
  tenantId: string;
}

const TASK_KEY = createContextKey('baton.task');

/** `ctx` with the task recorded, so every span started under it is tagged with it. */
export function contextWithTask(ctx: Context, task: TaskRef): Context {
  return ctx.setValue(TASK_KEY, task);
}

/** The task recorded in `ctx`, if any. */
export function taskOf(ctx: Context): TaskRef | undefined {
  return ctx.getValue(TASK_KEY) as TaskRef | undefined;
}

/** Runs `fn` with the task recorded in the active context. */
export function runForTask<T>(task: TaskRef, fn: () => T): T {
  return context.with(contextWithTask(context.active(), task), fn);
}

/**
 * Tags every span as it starts: `baton.service.name` with the service's name (the resource
 * says it already, but some trace backends, Phoenix among them, keep span attributes and
 * drop the resource, and a trace across services is unreadable without it), and, for a
 * span started in a task's context (the model client's, a library's), `baton.task.id` and
 * `baton.tenant.id`, so an SRE can select all of a task's spans by its id. A span that
 * names its task itself keeps what it says.
 */
export class SpanTagger implements SpanProcessor {
  constructor(private readonly serviceName: string) {}

  onStart(span: Span, parentContext: Context): void {
    span.setAttribute(Attr.serviceName, this.serviceName);
    const task = taskOf(parentContext);
    if (!task) return;
    if (span.attributes[Attr.taskId] === undefined) span.setAttribute(Attr.taskId, task.taskId);
    if (span.attributes[Attr.tenantId] === undefined) span.setAttribute(Attr.tenantId, task.tenantId);
  }

  onEnd(_span: ReadableSpan): void {
    // Nothing to do once a span ends.
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
