import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BUDGET_POLICY, type BudgetPolicy } from '@baton/budget';
import {
  Topics,
  causedBy,
  createEvent,
  decisionOrigin,
  deriveEventId,
  type OutputApproved,
  type OutputBlocked,
  type PlanRouted,
  type StepFailed,
  type StepHandoff,
  type TaskDecision,
  type TaskRouted,
} from '@baton/contracts';
import type { MessageBus } from '@baton/messaging';
import { BUS, Readiness, STATE_STORE, recordTaskSettled, startConsumer, type SettledOutcome } from '@baton/service-kit';
import type { StateStore, TaskRecord } from '@baton/state';
import { toolGrantName } from '@baton/tools';
import { Attr, annotateCurrentSpan, withSpan, type SpanParent } from '@baton/telemetry';
import { PLANNER_CONFIG, type PlannerConfig } from './config';
import { TIMEOUT_DECIDER, onDecision } from './decision';
import { reviewBundle } from './review-bundle';
import { onApproved, onDeadline, onHandoff, onPlanRouted, onSetback, startRun, type Action, type AttemptReport, type RunState } from './run-state';

/** Context field holding the run (see run-state.ts). */
const RUN = 'run';

/** Identity of the event that caused the actions, for derived event ids. */
interface Cause {
  eventId: string;
  taskId: string;
  tenantId: string;
}

/**
 * Wiring only: the executor's decisions live in run-state.ts (and decision.ts for human
 * decisions). Each event loads the run, decides, publishes, then saves the run. Published
 * events derive their ids from the cause, so a crash before the save replays the same
 * decisions with the same ids and consumers drop the duplicates. Events of one task
 * arrive in order (keyed by task id), so one planner at a time touches a run.
 */
@Injectable()
export class PlannerConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('planner');
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(PLANNER_CONFIG) private readonly config: PlannerConfig,
    @Inject(BUDGET_POLICY) private readonly budgets: BudgetPolicy,
    private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await startConsumer(this.bus, this.readiness, {
      groupId: 'planner',
      topics: [Topics.taskRouted, Topics.outputApproved, Topics.outputBlocked, Topics.stepFailed, Topics.stepHandoff, Topics.planRouted, Topics.taskDecision],
      handlers: {
        'task.routed': (e) => this.onRouted(e),
        'output.approved': (e) => this.onApproved(e),
        'output.blocked': (e) => this.onSetback(e, 'blocked', `${e.data.reason.code}: ${e.data.reason.message}`, e.data.reason.code, e.data.toolCalls, e.data.reason.details),
        'step.failed': (e) => this.onSetback(e, 'failed', `${e.data.error.code}: ${e.data.error.message}`, e.data.error.code, e.data.toolCalls, e.data.error.details),
        'step.handoff': (e) => this.onHandoff(e),
        'plan.routed': (e) => this.onPlanRouted(e),
        'task.decision': (e) => this.onDecision(e),
      },
    });
    this.sweeper = setInterval(() => void this.sweep(), this.config.PLANNER_DEADLINE_SWEEP_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  private onRouted(event: TaskRouted): Promise<void> {
    return withSpan('plan start', { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId }, async () => {
      const c = this.config;
      const { run, actions } = startRun(
        event.data,
        {
          maxSteps: c.PLANNER_MAX_STEPS,
          maxAttemptsPerStep: c.PLANNER_MAX_ATTEMPTS,
          deadlineSeconds: c.PLANNER_DEFAULT_DEADLINE_SECONDS,
          maxReplans: c.PLANNER_MAX_REPLANS,
          maxToolCalls: c.PLANNER_MAX_TOOL_CALLS,
          maxHandoffs: c.PLANNER_MAX_HANDOFFS,
          escalationTimeoutSeconds: c.PLANNER_ESCALATION_TIMEOUT_SECONDS,
          onEscalationTimeout: c.PLANNER_ESCALATION_ON_TIMEOUT,
          onBudgetExhausted: this.budgets.onExhausted,
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
    const { stepId, attempt, toolCalls } = event.data;
    return this.withRun(event, 'plan step done', { stepId, attempt }, (run) =>
      onApproved(run, stepId, attempt, event.data.output, Date.now(), toolCalls === undefined ? {} : { toolCalls }),
    );
  }

  private onSetback(event: OutputBlocked | StepFailed, outcome: 'blocked' | 'failed', reason: string, code?: string, toolCalls?: number, details?: unknown): Promise<void> {
    const { stepId, attempt } = event.data;
    return this.withRun(event, 'plan setback', { stepId, attempt }, (run) =>
      onSetback(run, stepId, attempt, outcome, reason, Date.now(), { ...(code ? { code } : {}), ...(toolCalls !== undefined ? { toolCalls } : {}), ...reportDetails(code, details) }),
    );
  }

  private onHandoff(event: StepHandoff): Promise<void> {
    const { stepId, attempt, toRole, reason, note, toolCalls } = event.data;
    return this.withRun(event, 'plan hand-off', { stepId, attempt }, (run) => onHandoff(run, stepId, attempt, toRole, { reason, note }, Date.now(), { toolCalls }));
  }

  private onPlanRouted(event: PlanRouted): Promise<void> {
    const { revision, plan, error } = event.data;
    return this.withRun(event, 'plan routed', {}, (run) => onPlanRouted(run, revision, plan, error, Date.now()));
  }

  /** A human decided (or an escalation timed out): resume the task once, from where it stopped. */
  private onDecision(event: TaskDecision): Promise<void> {
    const attrs = { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId, [Attr.escalationId]: event.data.escalationId, [Attr.decisionAction]: event.data.action };
    return withSpan('plan decision', attrs, async () => {
      const task = await this.state.tasks.get(event.taskId);
      if (!task) throw new Error(`task ${event.taskId} has no state`);
      const run = await this.state.context.get<RunState>(event.taskId, RUN);
      if (!run) throw new Error(`task ${event.taskId} has a decision but no run state`);
      if (run.escalation?.id !== event.data.escalationId) {
        this.log.warn(`task ${event.taskId}: decision on ${event.data.escalationId} ignored; the task waits on ${run.escalation?.id ?? 'nothing'}`);
        return;
      }
      // `running` as well: a crash after the transition but before the run was saved replays the decision.
      if (task.status !== 'escalated' && task.status !== 'running') {
        this.log.warn(`task ${event.taskId}: decision ignored in status ${task.status}`);
        return;
      }
      const actions = onDecision(run, event.data, Date.now());
      if (!actions.some((a) => a.type === 'stop')) {
        await this.state.tasks.transition(event.taskId, 'running', { from: ['escalated'] });
        await this.state.deadlines.schedule(event.taskId, run.limits.deadlineAt);
      }
      await this.act(event, run, actions);
      await this.state.escalations.markResumed(event.taskId, event.data.escalationId);
    });
  }

  private withRun(event: Cause, span: string, step: { stepId?: string; attempt?: number }, decide: (run: RunState) => Action[]): Promise<void> {
    const attrs = {
      [Attr.taskId]: event.taskId,
      [Attr.tenantId]: event.tenantId,
      ...(step.stepId ? { [Attr.stepId]: step.stepId } : {}),
      ...(step.attempt ? { [Attr.stepAttempt]: step.attempt } : {}),
    };
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
        case 'grant':
          await this.state.context.put(cause.taskId, toolGrantName(a.toolCall.tool, a.toolCall.args), { decidedBy: a.decidedBy, at: new Date().toISOString() });
          break;
        case 'dispatch':
          await this.bus.publish(
            createEvent('step.requested', origin(`planner.dispatch:${a.step.stepId}:${a.step.attempt}`), {
              ...a.step,
              taskType: run.task.taskType,
              ...(run.limits.maxCostMicros !== undefined ? { maxCostMicros: run.limits.maxCostMicros } : {}),
            }),
          );
          break;
        case 'propose':
          await this.bus.publish(
            createEvent('plan.proposed', origin(`planner.propose:${a.revision}`), {
              revision: a.revision,
              plan: a.plan,
              taskType: run.task.taskType,
              input: run.task.input,
              ...(run.task.needs ? { needs: run.task.needs } : {}),
              ...(run.task.routingPolicy ? { routingPolicy: run.task.routingPolicy } : {}),
            }),
          );
          break;
        case 'complete': {
          const done = await this.state.tasks.transition(cause.taskId, 'completed', { from: ['running'], fields: { result: a.result, attempts: a.attempts } });
          if (done.applied) await this.settled(cause, 'completed');
          await this.state.deadlines.clear(cause.taskId);
          await this.bus.publish(
            createEvent('task.completed', origin('planner.complete'), {
              result: a.result,
              attempts: a.attempts,
              ...(Object.keys(a.stepOutputs).length > 1 || run.pattern !== 'single' ? { stepOutputs: a.stepOutputs } : {}),
            }),
          );
          break;
        }
        case 'stop':
          annotateCurrentSpan({ [Attr.taskOutcome]: 'failed', [Attr.stopReason]: a.stopReason });
          await this.stop(cause, a);
          break;
        case 'escalate':
          annotateCurrentSpan({ [Attr.taskOutcome]: 'escalated', [Attr.stopReason]: a.escalation.stopReason });
          await this.escalate(cause, run, a);
          break;
      }
    }
    await this.state.context.put(cause.taskId, RUN, run);
  }

  /** Counts a task that just settled, timed from its submission; a failed read only loses the timing. */
  private async settled(cause: Cause, outcome: SettledOutcome): Promise<void> {
    const task = await this.state.tasks.get(cause.taskId).catch(() => null);
    recordTaskSettled(outcome, cause.tenantId, task?.createdAt);
  }

  private async stop(cause: Cause, a: Extract<Action, { type: 'stop' }>): Promise<boolean> {
    const attempts = Math.max(1, ...a.history.map((h) => h.attempt));
    const moved = await this.state.tasks.transition(cause.taskId, 'failed', { from: ['running', 'escalated'], fields: { error: a.reason, attempts } });
    if (moved.applied) await this.settled(cause, 'failed');
    await this.state.deadlines.clear(cause.taskId);
    if (!moved.applied && moved.status !== 'failed') return false;
    await this.bus.publish(createEvent('task.failed', causedBy(cause, `planner.stop:${a.stopReason}`), { reason: a.reason, stopReason: a.stopReason }));
    return true;
  }

  /**
   * Records the escalation and its review bundle, moves the task to `escalated` and
   * announces it. The run is saved first, so a decision that arrives at once finds the
   * run waiting on this escalation.
   */
  private async escalate(cause: Cause, run: RunState, a: Extract<Action, { type: 'escalate' }>): Promise<void> {
    const escalationId = deriveEventId(cause.eventId, 'planner.escalation');
    a.escalation.id = escalationId;
    await this.state.context.put(cause.taskId, RUN, run);
    const now = Date.now();
    const expiresAt = new Date(now + run.limits.escalationTimeoutSeconds * 1000).toISOString();
    const bundle = reviewBundle(run, a, await this.state.spend.taskTotal(cause.taskId));
    const attempts = Math.max(1, ...a.history.map((h) => h.attempt));
    await this.state.escalations.open({
      escalationId,
      taskId: cause.taskId,
      tenantId: cause.tenantId,
      taskType: run.task.taskType,
      stopReason: a.escalation.stopReason,
      reason: a.reason,
      allowed: a.escalation.allowed,
      bundle,
      createdAt: new Date(now).toISOString(),
      expiresAt,
      onTimeout: run.limits.onEscalationTimeout,
    });
    const moved = await this.state.tasks.transition(cause.taskId, 'escalated', { from: ['running'], fields: { error: a.reason, attempts } });
    if (moved.applied) await this.settled(cause, 'escalated');
    await this.state.deadlines.clear(cause.taskId);
    if (!moved.applied && moved.status !== 'escalated') return;
    await this.bus.publish(
      createEvent('task.escalated', causedBy(cause, `planner.escalate:${a.escalation.stopReason}`), {
        escalationId,
        reason: a.reason,
        stopReason: a.escalation.stopReason,
        attempts,
        history: a.history.map((h) => ({ attempt: h.attempt, outcome: h.outcome, reason: h.reason })),
        allowed: a.escalation.allowed,
        bundle,
        expiresAt,
        onTimeout: run.limits.onEscalationTimeout,
      }),
    );
  }

  /** Stops tasks past their deadline that no event will reach any more, and times out escalations nobody answered. */
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
        const attrs = { [Attr.taskId]: taskId, [Attr.tenantId]: task.tenantId, [Attr.taskOutcome]: 'failed', [Attr.stopReason]: action.stopReason };
        await withSpan('plan deadline', attrs, () => this.stop(cause, action), { parent: traceParentOf(task) });
      }
      for (const due of await this.state.escalations.dueTimeouts(now)) {
        await this.timeOut(due.taskId, due.escalationId);
      }
    } catch (err) {
      this.log.error(`sweep failed: ${err instanceof Error ? err.message : String(err)}`);
    }
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

/** What a setback's details add to the report: the held output, or the tool call awaiting approval. */
function reportDetails(code: string | undefined, details: unknown): Pick<AttemptReport, 'output' | 'toolCall'> {
  if (typeof details !== 'object' || details === null) return {};
  const d = details as Record<string, unknown>;
  if (code === 'output_escalated' && 'output' in d) return { output: d['output'] };
  if (code === 'approval_required' && typeof d['tool'] === 'string' && typeof d['args'] === 'object' && d['args'] !== null) {
    return { toolCall: { tool: d['tool'], args: d['args'] as Record<string, unknown> } };
  }
  return {};
}
