import { type TaskSubmitted, createEvent, deriveEventId } from '@baton/contracts';
import type { TaskStateRepository } from '@baton/state';
import { Attr, withSpan } from '@baton/telemetry';
import type { SubmitTaskRequest } from './submit-request';

/** What submitting needs; tests pass fakes. */
export interface SubmissionPorts {
  tasks: Pick<TaskStateRepository, 'submit' | 'get' | 'submission' | 'settleSubmission' | 'transition' | 'unpublished'>;
  /** Publishes the event (the gateway's bus). */
  publish(event: TaskSubmitted): Promise<void>;
  /** Reports a problem nobody waits for (an outbox that could not be settled, a sweep that failed). */
  warn(message: string): void;
}

/** One submission request, validated. */
export interface SubmissionInput {
  tenantId: string;
  /** A fresh id; the task's when the submission creates one. */
  taskId: string;
  spec: SubmitTaskRequest;
  /** The client's idempotency key and how long it holds the task. */
  idempotency?: { key: string; ttlSeconds: number };
  traceId: string | null;
  rootSpanId: string | null;
}

/** Outcome of a submission; the controller turns it into a status code. */
export type SubmissionOutcome =
  /** Created and queued now: 202. */
  | { kind: 'accepted'; taskId: string; traceId: string | null }
  /** The key's task, created before (and queued now if it was not yet): 200. */
  | { kind: 'duplicate'; taskId: string; status: string; traceId: string | null }
  /** Could not be queued: 503. With a key the task waits in the outbox for a retry (or the sweep); without one it failed. */
  | { kind: 'unpublished'; taskId: string; message: string };

/**
 * The id of a task's `task.submitted`: derived from the task id, so the request, a retry
 * with the same key and the sweep all publish the very same event and consumers drop copies.
 */
export function submittedEventId(taskId: string): string {
  return deriveEventId(taskId, 'submitted');
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Submissions with an outbox. The task record, the idempotency key and the event to
 * publish are stored in one script; the event leaves the outbox once it is published.
 * Whatever crashes or fails in between, the task is published later: by a retry with the
 * same key, or by the gateway's sweep (`republishDue`).
 */
export class TaskSubmissions {
  constructor(private readonly ports: SubmissionPorts) {}

  async submit(input: SubmissionInput): Promise<SubmissionOutcome> {
    const { tenantId, taskId, spec, idempotency } = input;
    const event = createEvent(
      'task.submitted',
      { tenantId, taskId, causationId: null, eventId: submittedEventId(taskId) },
      { ...spec, ...(idempotency ? { idempotencyKey: idempotency.key } : {}) },
    );
    const stored = await this.ports.tasks.submit({
      taskId,
      tenantId,
      taskType: spec.taskType,
      traceId: input.traceId,
      rootSpanId: input.rootSpanId,
      event,
      ...(idempotency ? { idempotency } : {}),
    });
    if (!stored.created) return this.duplicate(stored.taskId);
    try {
      await this.ports.publish(event);
    } catch (err) {
      const cause = errorText(err);
      if (idempotency) {
        // The task stays in the outbox: the client's retry with the same key (or the sweep) queues it.
        return { kind: 'unpublished', taskId, message: `could not queue the task (${cause}); send the same request with the same idempotency-key again` };
      }
      // Without a key the client cannot retry this task, only submit another: fail this one.
      const message = `could not queue the task: ${cause}`;
      await this.ports.tasks.transition(taskId, 'failed', { from: ['submitted'], fields: { error: { kind: 'system', code: 'submit_failed', message } } });
      await this.ports.tasks.settleSubmission(taskId, false);
      return { kind: 'unpublished', taskId, message };
    }
    await this.settlePublished(taskId);
    return { kind: 'accepted', taskId, traceId: input.traceId };
  }

  /** The key's task; a submission of it still in the outbox is published first (same event id). */
  private async duplicate(taskId: string): Promise<SubmissionOutcome> {
    const task = await this.ports.tasks.get(taskId);
    if (task?.published === false && task.status === 'submitted') {
      const event = await this.ports.tasks.submission(taskId);
      if (event) {
        try {
          await this.ports.publish(event);
        } catch (err) {
          return { kind: 'unpublished', taskId, message: `could not queue the task (${errorText(err)}); send the same request again` };
        }
        await this.settlePublished(taskId);
      }
    }
    return { kind: 'duplicate', taskId, status: task?.status ?? 'submitted', traceId: task?.traceId ?? null };
  }

  /**
   * Publishes up to `limit` submissions created at or before `cutoffMs` that are still in
   * the outbox (a gateway crashed, or a 503 whose client never retried). A task that left
   * `submitted` meanwhile is dropped from the outbox unpublished. Returns how many it published.
   */
  async republishDue(cutoffMs: number, limit: number): Promise<number> {
    let published = 0;
    for (const taskId of await this.ports.tasks.unpublished(cutoffMs, limit)) {
      try {
        const task = await this.ports.tasks.get(taskId);
        const event = task?.status === 'submitted' && task.published === false ? await this.ports.tasks.submission(taskId) : null;
        if (!task || !event) {
          await this.ports.tasks.settleSubmission(taskId, task?.published === true);
          continue;
        }
        const attrs = { [Attr.taskId]: taskId, [Attr.tenantId]: task.tenantId };
        await withSpan('republish submission', attrs, () => this.ports.publish(event), { parent: { traceId: task.traceId, spanId: task.rootSpanId ?? null } });
        await this.ports.tasks.settleSubmission(taskId, true);
        published++;
      } catch (err) {
        this.ports.warn(`task ${taskId}: submission not republished yet (${errorText(err)}); the next sweep tries again`);
      }
    }
    return published;
  }

  // Published already; a failure to record it only makes the sweep publish the same event id again.
  private async settlePublished(taskId: string): Promise<void> {
    try {
      await this.ports.tasks.settleSubmission(taskId, true);
    } catch (err) {
      this.ports.warn(`task ${taskId}: published, but its outbox entry stays (${errorText(err)}); the sweep will publish it again`);
    }
  }
}
