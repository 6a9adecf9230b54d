import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  Topics,
  causedBy,
  createEvent,
  type OutputApproved,
  type OutputBlocked,
  type StepFailed,
  type StepRequested,
  type TaskRouted,
} from '@baton/contracts';
import type { MessageBus } from '@baton/messaging';
import { BUS, Readiness, STATE_STORE, startConsumer } from '@baton/service-kit';
import type { StateStore, TaskRecord } from '@baton/state';
import { Attr, withSpan } from '@baton/telemetry';
import { PLANNER_CONFIG, type PlannerConfig } from './config';
import { nextMove, type AttemptRecord } from './step-policy';

/** The single step of a single-specialist task. */
const MAIN_STEP = 'main';
/** Context field holding the step's spec, so a retry can re-dispatch it. */
const STEP_SPEC = 'step';
const ATTEMPT_PREFIX = 'attempt:';

type StepSpec = Omit<StepRequested['data'], 'stepId' | 'attempt' | 'feedback'>;

/**
 * Wiring only: dispatches the step, completes the task on an approved output, retries a
 * blocked or failed attempt and escalates when the attempts run out (policy in
 * step-policy.ts). Every path ends the task in a terminal state.
 *
 * Crash safety: events are derived from their cause (same id when handled again), and a
 * retry is published before the attempt counter moves, so a crash in between re-sends
 * the same event instead of losing it.
 */
@Injectable()
export class PlannerConsumer implements OnApplicationBootstrap {
  private readonly log = new Logger('planner');

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
  }

  private async task(taskId: string): Promise<TaskRecord> {
    const task = await this.state.tasks.get(taskId);
    // Unknown task: a system error; the bus retries, then dead-letters it with this reason.
    if (!task) throw new Error(`task ${taskId} has no state`);
    return task;
  }

  private onRouted(event: TaskRouted): Promise<void> {
    const d = event.data;
    return withSpan('plan dispatch', { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId, [Attr.stepId]: MAIN_STEP }, async () => {
      const spec: StepSpec = {
        role: d.role,
        model: d.model,
        instruction: d.instruction,
        input: d.input,
        ...(d.outputSchema ? { outputSchema: d.outputSchema } : {}),
      };
      await this.state.context.put(event.taskId, STEP_SPEC, spec);
      await this.state.tasks.transition(event.taskId, 'running', { from: ['routed'], fields: { attempts: 1 } });
      await this.bus.publish(
        createEvent('step.requested', causedBy(event, 'planner.dispatch'), { stepId: MAIN_STEP, attempt: 1, ...spec, feedback: [] }),
      );
    });
  }

  private onApproved(event: OutputApproved): Promise<void> {
    const { attempt } = event.data;
    return withSpan('plan complete', { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId, [Attr.stepAttempt]: attempt }, async (span) => {
      const task = await this.task(event.taskId);
      const current = task.attempts === attempt && (task.status === 'running' || task.status === 'completed');
      if (!current) {
        this.log.warn(`ignoring approval of attempt ${attempt} for task ${event.taskId} in status ${task.status}`);
        return;
      }
      await this.state.tasks.transition(event.taskId, 'completed', { from: ['running'], fields: { result: event.data.output, attempts: attempt } });
      span.setAttribute(Attr.taskOutcome, 'completed');
      await this.bus.publish(createEvent('task.completed', causedBy(event, 'planner.complete'), { result: event.data.output, attempts: attempt }));
    });
  }

  private onSetback(event: OutputBlocked | StepFailed, outcome: AttemptRecord['outcome'], reason: string): Promise<void> {
    const { attempt } = event.data;
    return withSpan('plan setback', { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId, [Attr.stepAttempt]: attempt }, async (span) => {
      const task = await this.task(event.taskId);
      if (task.status !== 'running') {
        this.log.warn(`ignoring ${outcome} attempt ${attempt} for task ${event.taskId} in status ${task.status}`);
        return;
      }
      await this.state.context.put(event.taskId, `${ATTEMPT_PREFIX}${attempt}`, { attempt, outcome, reason } satisfies AttemptRecord);
      const history = await this.history(event.taskId);
      const move = nextMove({ attempts: task.attempts, maxAttempts: this.config.PLANNER_MAX_ATTEMPTS }, attempt, history);
      switch (move.action) {
        case 'ignore':
          this.log.warn(`task ${event.taskId}: ${move.why}`);
          return;
        case 'retry': {
          const spec = await this.state.context.get<StepSpec>(event.taskId, STEP_SPEC);
          if (!spec) throw new Error(`task ${event.taskId} has no step spec to retry`);
          await this.bus.publish(
            createEvent('step.requested', causedBy(event, 'planner.retry'), { stepId: MAIN_STEP, attempt: move.attempt, ...spec, feedback: move.feedback }),
          );
          await this.state.tasks.compareAndSetAttempts(event.taskId, attempt, move.attempt);
          return;
        }
        case 'escalate':
          span.setAttribute(Attr.taskOutcome, 'escalated');
          await this.state.tasks.transition(event.taskId, 'escalated', { from: ['running'], fields: { error: move.reason, attempts: attempt } });
          await this.bus.publish(
            createEvent('task.escalated', causedBy(event, 'planner.escalate'), {
              reason: move.reason,
              attempts: attempt,
              history: history.map((h) => ({ attempt: h.attempt, outcome: h.outcome, reason: h.reason })),
            }),
          );
      }
    });
  }

  private async history(taskId: string): Promise<AttemptRecord[]> {
    const all = await this.state.context.getAll(taskId);
    return Object.entries(all)
      .filter(([k]) => k.startsWith(ATTEMPT_PREFIX))
      .map(([, v]) => v as AttemptRecord)
      .sort((a, b) => a.attempt - b.attempt);
  }
}
