import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createEvent, decisionOrigin, deriveEventId, TERMINAL_STATUSES, type TaskStatus } from '@baton/contracts';
import type { MessageBus } from '@baton/messaging';
import { BUS, STATE_STORE } from '@baton/service-kit';
import type { StateStore, TaskRecord } from '@baton/state';
import { Attr, withSpan, type SpanParent } from '@baton/telemetry';
import { PLANNER_CONFIG, type PlannerConfig } from './config';
import { TIMEOUT_DECIDER } from './decision';
import { asRunRecord, type PlannerInput } from './decide';
import { PlannerRuns, RUN } from './planner-runs.service';

/** Statuses of a task that has not reached the planner yet. */
const NOT_STARTED: readonly TaskStatus[] = ['submitted', 'admitted', 'routed'];

/**
 * The planner's timer: every PLANNER_DEADLINE_SWEEP_MS it stops tasks past their deadline
 * and times out escalations nobody answered, through the same run handling as events.
 * Started once the app has bootstrapped (the consumers have joined), stopped on shutdown.
 */
@Injectable()
export class DeadlineSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('planner');
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly runs: PlannerRuns,
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(PLANNER_CONFIG) private readonly config: PlannerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.sweeper = setInterval(() => void this.sweep(), this.config.PLANNER_DEADLINE_SWEEP_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  /**
   * Stops tasks past their deadline that no event will reach any more (running ones, and
   * ones stuck before they started), and times out escalations nobody answered.
   */
  private async sweep(): Promise<void> {
    try {
      const now = Date.now();
      for (const taskId of await this.state.deadlines.due(now)) {
        await this.sweepTask(taskId);
      }
      for (const due of await this.state.escalations.dueTimeouts(now)) {
        await this.timeOut(due.taskId, due.escalationId);
      }
    } catch (err) {
      this.log.error(`sweep failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * One due task. Its deadline cause has a derived id, so a sweep after a crash that saved
   * the stop but did not carry it out replays the same stop (no Kafka redelivery comes for
   * a timer).
   */
  private async sweepTask(taskId: string): Promise<void> {
    const task = await this.state.tasks.get(taskId);
    if (!task) {
      await this.state.deadlines.clear(taskId);
      return;
    }
    const record = asRunRecord((await this.state.versioned.load<unknown>(taskId, RUN)).value);
    const stopped = { eventId: deadlineEventId(taskId, record?.run ? record.run.limits.deadlineAt : 0), taskId, tenantId: task.tenantId };
    // A stop this sweep decided before, maybe cut short after the task's status moved: carry out the rest.
    if (record?.applied.includes(stopped.eventId)) await this.runs.handle(stopped, { kind: 'deadline' });
    if (TERMINAL_STATUSES.includes(task.status)) {
      await this.state.deadlines.clear(taskId);
      return;
    }
    let input: PlannerInput;
    let deadlineAt: number;
    if (!record?.run) {
      if (!NOT_STARTED.includes(task.status)) {
        await this.state.deadlines.clear(taskId);
        return;
      }
      input = { kind: 'start-deadline', taskStatus: task.status };
      deadlineAt = 0;
    } else {
      // An escalated task waits for its decision or its escalation's own timeout.
      if (record.phase === 'escalated') {
        await this.state.deadlines.clear(taskId);
        return;
      }
      input = { kind: 'deadline' };
      deadlineAt = record.run.limits.deadlineAt;
    }
    const cause = { eventId: deadlineEventId(taskId, deadlineAt), taskId, tenantId: task.tenantId };
    const attrs = { [Attr.taskId]: taskId, [Attr.tenantId]: task.tenantId };
    await withSpan('plan deadline', attrs, () => this.runs.handle(cause, input), { parent: traceParentOf(task) });
  }

  /** Decides an unanswered escalation with its declared outcome, through the same path as a human decision. */
  private async timeOut(taskId: string, escalationId: string): Promise<void> {
    const record = await this.state.escalations.get(taskId, escalationId);
    if (!record) return;
    const decision = {
      escalationId,
      action: record.onTimeout === 'approve' ? ('approve' as const) : ('reject' as const),
      decidedBy: TIMEOUT_DECIDER,
      comment: `no decision before ${record.expiresAt}`,
    };
    const decided = await this.state.escalations.decide(taskId, escalationId, decision);
    if (!decided.applied) return;
    const task = await this.state.tasks.get(taskId);
    await withSpan(
      'plan escalation timeout',
      { [Attr.taskId]: taskId, [Attr.tenantId]: record.tenantId, [Attr.escalationId]: escalationId },
      () => this.bus.publish(createEvent('task.decision', decisionOrigin({ tenantId: record.tenantId, taskId, escalationId }), decision)),
      { parent: task ? traceParentOf(task) : null },
    );
  }
}

/** Where work no event carries a context to (a timer) joins its task's trace: under the submission. */
function traceParentOf(task: TaskRecord): SpanParent {
  return { traceId: task.traceId, spanId: task.rootSpanId ?? null };
}

/** A stable UUID-shaped cause id for a task's deadline, so every sweeper derives the same event id. */
function deadlineEventId(taskId: string, deadlineAt: number): string {
  return deriveEventId(taskId, `deadline:${deadlineAt}`);
}
