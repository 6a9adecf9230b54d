import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Topics, causedBy, createEvent, deriveEventId, type OutputApproved, type OutputBlocked, type StepFailed, type TaskRouted } from '@baton/contracts';
import type { MessageBus } from '@baton/messaging';
import { BUS, Readiness, STATE_STORE, startConsumer } from '@baton/service-kit';
import type { StateStore } from '@baton/state';
import { Attr, withSpan } from '@baton/telemetry';
import { PLANNER_CONFIG, type PlannerConfig } from './config';
import { onApproved, onDeadline, onSetback, startRun, type Action, type RunState } from './run-state';

/** Context field holding the run (see run-state.ts). */
const RUN = 'run';

/** Identity of the event that caused the actions, for derived event ids. */
interface Cause {
  eventId: string;
  taskId: string;
  tenantId: string;
}

/**
 * Wiring only: the executor's decisions live in run-state.ts. Each event loads the run,
 * decides, publishes, then saves the run. Published events derive their ids from the cause,
 * so a crash before the save replays the same decisions with the same ids and consumers
 * drop the duplicates. Events of one task arrive in order (keyed by task id), so one
 * planner at a time touches a run.
 */
@Injectable()
export class PlannerConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('planner');
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(PLANNER_CONFIG) private readonly config: PlannerConfig,
    private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await startConsumer(this.bus, this.readiness, {
      groupId: 'planner',
      topics: [Topics.taskRouted, Topics.outputApproved, Topics.outputBlocked, Topics.stepFailed],
      handlers: {
        'task.routed': (e) => this.onRouted(e),
        'output.approved': (e) => this.onApproved(e),
        'output.blocked': (e) => this.onSetback(e, 'blocked', `${e.data.reason.code}: ${e.data.reason.message}`),
        'step.failed': (e) => this.onSetback(e, 'failed', `${e.data.error.code}: ${e.data.error.message}`),
      },
    });
    this.sweeper = setInterval(() => void this.sweep(), this.config.PLANNER_DEADLINE_SWEEP_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  private onRouted(event: TaskRouted): Promise<void> {
    return withSpan('plan start', { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId }, async () => {
      const { run, actions } = startRun(
        event.data,
        {
          maxSteps: this.config.PLANNER_MAX_STEPS,
          maxAttemptsPerStep: this.config.PLANNER_MAX_ATTEMPTS,
          deadlineSeconds: this.config.PLANNER_DEFAULT_DEADLINE_SECONDS,
        },
        Date.now(),
      );
      const moved = await this.state.tasks.transition(event.taskId, 'running', { from: ['routed'], fields: { attempts: 1 } });
      if (!moved.applied && moved.status !== 'running') {
        this.log.warn(`task ${event.taskId} routed while ${moved.status ?? 'unknown'}; not starting it`);
        return;
      }
      await this.state.deadlines.schedule(event.taskId, run.limits.deadlineAt);
      await this.act(event, run, actions);
    });
  }

  private onApproved(event: OutputApproved): Promise<void> {
    const { stepId, attempt } = event.data;
    return this.withRun(event, 'plan step done', stepId, attempt, (run) => onApproved(run, stepId, attempt, event.data.output, Date.now()));
  }

  private onSetback(event: OutputBlocked | StepFailed, outcome: 'blocked' | 'failed', reason: string): Promise<void> {
    const { stepId, attempt } = event.data;
    return this.withRun(event, 'plan setback', stepId, attempt, (run) => onSetback(run, stepId, attempt, outcome, reason, Date.now()));
  }

  private withRun(event: Cause, span: string, stepId: string, attempt: number, decide: (run: RunState) => Action[]): Promise<void> {
    const attrs = { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId, [Attr.stepId]: stepId, [Attr.stepAttempt]: attempt };
    return withSpan(span, attrs, async () => {
      const task = await this.state.tasks.get(event.taskId);
      // No state: a system error; the bus retries, then dead-letters with this reason.
      if (!task) throw new Error(`task ${event.taskId} has no state`);
      if (task.status !== 'running') {
        this.log.warn(`ignoring ${span} for task ${event.taskId} in status ${task.status}`);
        return;
      }
      const run = await this.state.context.get<RunState>(event.taskId, RUN);
      if (!run) throw new Error(`task ${event.taskId} is running but has no run state`);
      await this.act(event, run, decide(run));
    });
  }

  /** Carries out the decisions, then saves the run. */
  private async act(cause: Cause, run: RunState, actions: Action[]): Promise<void> {
    const origin = (label: string) => causedBy(cause, label);
    for (const a of actions) {
      switch (a.type) {
        case 'ignore':
          this.log.warn(`task ${cause.taskId}: ${a.why}`);
          break;
        case 'dispatch':
          await this.bus.publish(createEvent('step.requested', origin(`planner.dispatch:${a.step.stepId}:${a.step.attempt}`), a.step));
          break;
        case 'complete':
          await this.state.tasks.transition(cause.taskId, 'completed', { from: ['running'], fields: { result: a.result, attempts: a.attempts } });
          await this.state.deadlines.clear(cause.taskId);
          await this.bus.publish(
            createEvent('task.completed', origin('planner.complete'), {
              result: a.result,
              attempts: a.attempts,
              ...(run.plan.steps.length > 1 ? { stepOutputs: a.stepOutputs } : {}),
            }),
          );
          break;
        case 'stop':
          await this.stop(cause, a);
          break;
      }
    }
    await this.state.context.put(cause.taskId, RUN, run);
  }

  private async stop(cause: Cause, a: Extract<Action, { type: 'stop' }>): Promise<boolean> {
    const attempts = Math.max(1, ...a.history.map((h) => h.attempt));
    const moved = await this.state.tasks.transition(cause.taskId, a.outcome, { from: ['running'], fields: { error: a.reason, attempts } });
    await this.state.deadlines.clear(cause.taskId);
    if (!moved.applied && moved.status !== a.outcome) return false;
    const origin = causedBy(cause, `planner.stop:${a.stopReason}`);
    if (a.outcome === 'escalated') {
      await this.bus.publish(
        createEvent('task.escalated', origin, {
          escalationId: origin.eventId ?? cause.eventId,
          allowed: ['approve', 'reject', 'answer'],
          bundle: { question: a.reason.message, history: a.history, stepOutputs: {}, spentMicros: 0, stepsRun: 0 },
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          onTimeout: 'fail',
          reason: a.reason,
          stopReason: a.stopReason,
          attempts,
          history: a.history.map((h) => ({ attempt: h.attempt, outcome: h.outcome, reason: h.reason })),
        }),
      );
    } else {
      await this.bus.publish(createEvent('task.failed', origin, { reason: a.reason, stopReason: a.stopReason }));
    }
    return true;
  }

  /** Stops tasks past their deadline that no event will reach any more. */
  private async sweep(): Promise<void> {
    try {
      const now = Date.now();
      for (const taskId of await this.state.deadlines.due(now)) {
        const task = await this.state.tasks.get(taskId);
        const run = await this.state.context.get<RunState>(taskId, RUN);
        if (!task || task.status !== 'running' || !run) {
          await this.state.deadlines.clear(taskId);
          continue;
        }
        const [action] = onDeadline(run, now);
        if (action.type !== 'stop') continue;
        // The sweep has no causing event: derive ids from the task and its deadline instead.
        const cause = { eventId: deadlineEventId(taskId, run.limits.deadlineAt), taskId, tenantId: task.tenantId };
        await withSpan('plan deadline', { [Attr.taskId]: taskId, [Attr.tenantId]: task.tenantId }, () => this.stop(cause, action));
      }
    } catch (err) {
      this.log.error(`deadline sweep failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** A stable UUID-shaped cause id for a task's deadline, so every sweeper derives the same event id. */
function deadlineEventId(taskId: string, deadlineAt: number): string {
  return deriveEventId(taskId, `deadline:${deadlineAt}`);
}
