import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_DEADLINE_SECONDS, type TaskSubmitted } from '@baton/contracts';
import { UnprocessableEvent } from '@baton/messaging';
import { SERVICE_NAMESPACE, STATE_STORE, type ServiceNamespace } from '@baton/service-kit';
import { ShadowIndex } from '@baton/shadow';
import type { StateStore } from '@baton/state';
import { currentSpanId, currentTraceId } from '@baton/telemetry';

/**
 * Takes a submitted task in before it is screened: makes sure the task has its record, and
 * that the record is this submission's.
 *
 * In a namespace (a shadow), `task.submitted` is read from live: the gateway created the
 * live record only, so the guardrails create the namespace's own record first and index it
 * for the shadow report; everything downstream then runs unchanged in the namespace.
 */
@Injectable()
export class TaskIntake {
  constructor(
    @Inject(STATE_STORE) private readonly state: Pick<StateStore, 'tasks' | 'context'>,
    @Inject(SERVICE_NAMESPACE) private readonly namespace: ServiceNamespace,
  ) {}

  /** Creates the task's record (or finds this submission's own), and indexes it for the shadow report in a namespace. */
  async register(event: TaskSubmitted): Promise<void> {
    // Tasks published straight to Kafka have no record yet (the gateway makes one for its
    // own); with one, they can be followed and traced like any other.
    const created = await this.state.tasks.create({
      taskId: event.taskId,
      tenantId: event.tenantId,
      taskType: event.data.taskType,
      traceId: currentTraceId(),
      rootSpanId: currentSpanId(),
      submittedEventId: event.eventId,
      deadlineAt: Date.now() + 1000 * (event.data.limits?.deadlineSeconds ?? DEFAULT_DEADLINE_SECONDS),
    });
    if (!created) await this.checkSameSubmission(event);
    if (this.namespace.namespace !== null) await this.enterNamespace(event);
  }

  /**
   * A task id that exists already belongs to this event only when this event created it (a
   * redelivery): another event reusing the id (an upstream bug or replay with fresh ids, or
   * another tenant) must neither restart nor overwrite that task, so it is dead-lettered as
   * `duplicate_task_id` and the task is left exactly as it is. A record from before the
   * submitting event id was stored cannot tell, and is taken as the same submission.
   */
  private async checkSameSubmission(event: TaskSubmitted): Promise<void> {
    const task = await this.state.tasks.get(event.taskId);
    const otherEvent = task?.submittedEventId !== undefined && task.submittedEventId !== event.eventId;
    if (!task || (!otherEvent && task.tenantId === event.tenantId)) return;
    const by = task.submittedEventId ? `event ${task.submittedEventId}` : 'another event';
    throw new UnprocessableEvent(
      'duplicate_task_id',
      `task ${event.taskId} exists already, submitted by ${by}; event ${event.eventId} reuses its id and was not handled (mint a new task id per task)`,
    );
  }

  /** Indexes a task the namespace takes in for the shadow report. */
  private async enterNamespace(event: TaskSubmitted): Promise<void> {
    const { taskId, tenantId } = event;
    await new ShadowIndex(this.state.context).add(tenantId, taskId, new Date(event.occurredAt));
  }
}
