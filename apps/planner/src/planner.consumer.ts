import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BUDGET_POLICY, type BudgetPolicy } from '@baton/budget';
import {
  Topics,
  causedBy,
  createEvent,
  decisionOrigin,
  deriveEventId,
  TERMINAL_STATUSES,
  type TaskStatus,
  type OutputApproved,
  type OutputBlocked,
  type PlanRouted,
  type StepFailed,
  type StepHandoff,
  type TaskDecision,
  type TaskRouted,
} from '@baton/contracts';
import type { MessageBus } from '@baton/messaging';
import { BUS, Readiness, STATE_STORE, auditEvent, recordTaskSettled, startConsumer, type SettledOutcome } from '@baton/service-kit';
import type { StateStore, TaskRecord } from '@baton/state';
import { toolGrantName } from '@baton/tools';
import { Attr, annotateCurrentSpan, withSpan, type SpanParent } from '@baton/telemetry';
import { PLANNER_CONFIG, type PlannerConfig } from './config';
import { TIMEOUT_DECIDER } from './decision';
import { reviewBundle } from './review-bundle';
import { asRunRecord, decide, escalationIdOf, type PlannerInput, type RunRecord } from './decide';
import type { Action, AttemptReport, RunState } from './run-state';

/** Context field holding the run record (see decide.ts). */
const RUN = 'run';
/** Compare-and-set tries before an event is handed back to the bus' retries. */
const MAX_SAVE_TRIES = 20;
/** Statuses of a task that has not reached the planner yet. */
const NOT_STARTED: readonly TaskStatus[] = ['submitted', 'admitted', 'routed'];
/** Every status a stop may end. */
const UNFINISHED: TaskStatus[] = ['submitted', 'admitted', 'routed', 'running', 'escalated'];

/** Identity of the event that caused the actions, for derived event ids. */
interface Cause {
  eventId: string;
  taskId: string;
  tenantId: string;
}

/**
 * Wiring only: the decisions live in decide.ts (run-state.ts and decision.ts below it).
 * Each event loads the task's run record, decides, saves it with compare-and-set on its
 * revision, then carries out the actions kept in the record's outbox. Events of one task
 * come on several topics and may be handled at once (or by two replicas): the
 * compare-and-set makes the later save decide again instead of losing the earlier one's
 * update. Published events derive their ids from the cause, so a replay publishes the
 * same ids and consumers drop the duplicates.
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
      const defaults = {
        maxSteps: c.PLANNER_MAX_STEPS,
        maxAttemptsPerStep: c.PLANNER_MAX_ATTEMPTS,
        deadlineSeconds: c.PLANNER_DEFAULT_DEADLINE_SECONDS,
        maxReplans: c.PLANNER_MAX_REPLANS,
        maxToolCalls: c.PLANNER_MAX_TOOL_CALLS,
        maxHandoffs: c.PLANNER_MAX_HANDOFFS,
        escalationTimeoutSeconds: c.PLANNER_ESCALATION_TIMEOUT_SECONDS,
        onEscalationTimeout: c.PLANNER_ESCALATION_ON_TIMEOUT,
        allowSubmitterApproveOnTimeout: c.PLANNER_ALLOW_SUBMITTER_APPROVE_ON_TIMEOUT,
        onBudgetExhausted: this.budgets.onExhausted,
      };
      const task = await this.state.tasks.get(event.taskId);
      await this.handle(event, { kind: 'routed', routed: event.data, defaults, taskStatus: task?.status ?? null });
    });
  }

  private onApproved(event: OutputApproved): Promise<void> {
    const { stepId, attempt, toolCalls, output } = event.data;
    return this.inSpan(event, 'plan step done', { stepId, attempt }, () =>
      this.handle(event, { kind: 'approved', stepId, attempt, output, report: toolCalls === undefined ? {} : { toolCalls } }),
    );
  }

  private onSetback(event: OutputBlocked | StepFailed, outcome: 'blocked' | 'failed', reason: string, code?: string, toolCalls?: number, details?: unknown): Promise<void> {
    const { stepId, attempt } = event.data;
    const report = { ...(code ? { code } : {}), ...(toolCalls !== undefined ? { toolCalls } : {}), ...reportDetails(code, details) };
    return this.inSpan(event, 'plan setback', { stepId, attempt }, () => this.handle(event, { kind: 'setback', stepId, attempt, outcome, reason, report }));
  }

  private onHandoff(event: StepHandoff): Promise<void> {
    const { stepId, attempt, toRole, reason, note, toolCalls } = event.data;
    return this.inSpan(event, 'plan hand-off', { stepId, attempt }, () =>
      this.handle(event, { kind: 'handoff', stepId, attempt, toRole, handoff: { reason, note }, report: { toolCalls } }),
    );
  }

  private onPlanRouted(event: PlanRouted): Promise<void> {
    const { revision, plan, error } = event.data;
    return this.inSpan(event, 'plan routed', {}, () => this.handle(event, { kind: 'plan-routed', revision, ...(plan ? { plan } : {}), ...(error ? { error } : {}) }));
  }

  /** A human decided (or an escalation timed out): resume the task once, from where it stopped. */
  private onDecision(event: TaskDecision): Promise<void> {
    const attrs = { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId, [Attr.escalationId]: event.data.escalationId, [Attr.decisionAction]: event.data.action };
    return withSpan('plan decision', attrs, () => this.handle(event, { kind: 'decision', decision: event.data }));
  }

  private inSpan(event: Cause, span: string, step: { stepId?: string; attempt?: number }, work: () => Promise<void>): Promise<void> {
    const attrs = {
      [Attr.taskId]: event.taskId,
      [Attr.tenantId]: event.tenantId,
      ...(step.stepId ? { [Attr.stepId]: step.stepId } : {}),
      ...(step.attempt ? { [Attr.stepAttempt]: step.attempt } : {}),
    };
    return withSpan(span, attrs, work);
  }

  /**
   * One event of a task: load the record, decide, save with compare-and-set (deciding again
   * on a conflict), then carry out the actions. A redelivered event whose actions were saved
   * but not all carried out (a crash in between) carries out the same actions again, with
   * the same event ids, so consumers drop what they already had.
   */
  private async handle(cause: Cause, input: PlannerInput): Promise<void> {
    const outbox = outboxField(cause.eventId);
    for (let tries = 1; ; tries++) {
      const loaded = await this.state.versioned.load<unknown>(cause.taskId, RUN);
      const stored = asRunRecord(loaded.value);
      if (stored?.applied.includes(cause.eventId)) {
        // Decided before, and maybe not all carried out (a crash in between): the same actions again.
        const pending = await this.state.versioned.field<Action[]>(cause.taskId, outbox);
        if (pending) await this.carryOut(cause, stored, pending);
        return;
      }
      const { record, actions } = decide(stored, { causeId: cause.eventId, input }, Date.now());
      if (!record) {
        for (const a of actions) if (a.type === 'ignore') this.log.warn(`task ${cause.taskId}: ${a.why}`);
        return;
      }
      const saved = await this.state.versioned.save(cause.taskId, RUN, record, loaded.revision, { [outbox]: actions });
      if (saved !== null) {
        await this.carryOut(cause, record, actions);
        return;
      }
      // Another event of this task was decided in between (another topic, another replica): decide again on what it left.
      if (tries >= MAX_SAVE_TRIES) throw new Error(`task ${cause.taskId}: the run kept changing under ${tries} tries to save it`);
    }
  }

  /** Carries out one cause's actions (each is idempotent), then drops them from the outbox. */
  private async carryOut(cause: Cause, record: RunRecord, actions: Action[]): Promise<void> {
    for (const a of actions) {
      if (!(await this.perform(cause, record, a))) break;
    }
    await this.state.versioned.dropField(cause.taskId, outboxField(cause.eventId));
  }

  /** Carries out one action; false when the rest of the cause's actions must not run (the task ended elsewhere). */
  private async perform(cause: Cause, record: RunRecord, a: Action): Promise<boolean> {
    const origin = (label: string) => causedBy(cause, label);
    const run = record.run;
    switch (a.type) {
      case 'ignore':
        this.log.warn(`task ${cause.taskId}: ${a.why}`);
        return true;
      case 'started': {
        const moved = await this.state.tasks.transition(cause.taskId, 'running', { from: ['routed'], fields: { attempts: 1 } });
        if (!moved.applied && moved.status !== 'running') {
          this.log.warn(`task ${cause.taskId} routed while ${moved.status ?? 'unknown'}; not starting it`);
          return false;
        }
        await this.state.deadlines.schedule(cause.taskId, a.deadlineAt);
        return true;
      }
      case 'resumed':
        // Carried out again after a crash, when the run may since wait on a newer escalation: that one keeps the task escalated.
        if ((await this.currentRun(cause.taskId))?.phase === 'escalated') return true;
        await this.state.tasks.transition(cause.taskId, 'running', { from: ['escalated'] });
        await this.state.deadlines.schedule(cause.taskId, a.deadlineAt);
        return true;
      case 'decided':
        await this.state.escalations.markResumed(cause.taskId, a.escalationId);
        // Its id derives from the decision, so a replay records it once.
        if (a.action && a.decidedBy) {
          await this.bus.publish(
            auditEvent(cause, 'planner.decision', {
              category: 'human',
              actor: a.decidedBy,
              decision: a.action,
              reason: `${a.decidedBy} decided ${a.action} on escalation ${a.escalationId}${a.comment ? `: ${a.comment}` : ''}`,
              subject: a.escalationId,
            }),
          );
        }
        return true;
      case 'grant':
        await this.state.context.put(cause.taskId, toolGrantName(a.toolCall.tool, a.toolCall.args), { decidedBy: a.decidedBy, at: new Date().toISOString() });
        return true;
      case 'dispatch':
        if (!run) return true;
        await this.bus.publish(
          createEvent('step.requested', origin(`planner.dispatch:${a.step.stepId}:${a.step.attempt}`), {
            ...a.step,
            taskType: run.task.taskType,
            ...(run.limits.maxCostMicros !== undefined ? { maxCostMicros: run.limits.maxCostMicros } : {}),
          }),
        );
        return true;
      case 'propose':
        if (!run) return true;
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
        return true;
      case 'complete': {
        const done = await this.state.tasks.transition(cause.taskId, 'completed', { from: ['running'], fields: { result: a.result, attempts: a.attempts } });
        if (done.applied) await this.settled(cause, 'completed');
        await this.bus.publish(
          createEvent('task.completed', origin('planner.complete'), {
            result: a.result,
            attempts: a.attempts,
            ...(Object.keys(a.stepOutputs).length > 1 || run?.pattern !== 'single' ? { stepOutputs: a.stepOutputs } : {}),
          }),
        );
        // Last: until the end is announced, the sweep still finds the task.
        await this.state.deadlines.clear(cause.taskId);
        return true;
      }
      case 'stop':
        annotateCurrentSpan({ [Attr.taskOutcome]: 'failed', [Attr.stopReason]: a.stopReason });
        await this.stop(cause, a);
        return true;
      case 'escalate':
        annotateCurrentSpan({ [Attr.taskOutcome]: 'escalated', [Attr.stopReason]: a.escalation.stopReason });
        if (run) await this.escalate(cause, run, a);
        return true;
    }
  }

  /** Counts a task that just settled, timed from its submission; a failed read only loses the timing. */
  private async settled(cause: Cause, outcome: SettledOutcome): Promise<void> {
    const task = await this.state.tasks.get(cause.taskId).catch(() => null);
    recordTaskSettled(outcome, cause.tenantId, task?.createdAt);
  }

  private async stop(cause: Cause, a: Extract<Action, { type: 'stop' }>): Promise<boolean> {
    const attempts = Math.max(1, ...a.history.map((h) => h.attempt));
    const moved = await this.state.tasks.transition(cause.taskId, 'failed', { from: UNFINISHED, fields: { error: a.reason, attempts } });
    if (moved.applied) await this.settled(cause, 'failed');
    if (moved.applied || moved.status === 'failed') {
      await this.bus.publish(createEvent('task.failed', causedBy(cause, `planner.stop:${a.stopReason}`), { reason: a.reason, stopReason: a.stopReason }));
    }
    // Last: until the end is announced, the sweep still finds the task (a stop it decided is carried out again).
    await this.state.deadlines.clear(cause.taskId);
    return moved.applied || moved.status === 'failed';
  }

  /** The run as stored now (a replayed action checks it has not moved on). */
  private async currentRun(taskId: string): Promise<RunRecord | null> {
    return asRunRecord((await this.state.versioned.load<unknown>(taskId, RUN)).value);
  }

  /**
   * Moves the task to `escalated`, records the escalation and its review bundle (what a
   * reviewer sees), and announces it. In that order: no decision can come before the task is
   * escalated, so a decision's resume is never undone by this. Carried out again after a
   * crash, it first checks the run still waits on this escalation: when it was decided and
   * the run went on meanwhile, nothing is done (the task must not go back to escalated).
   */
  private async escalate(cause: Cause, run: RunState, a: Extract<Action, { type: 'escalate' }>): Promise<void> {
    const escalationId = a.escalation.id ?? escalationIdOf(cause.eventId);
    const current = await this.currentRun(cause.taskId);
    if (current?.phase !== 'escalated' || current.run?.escalation?.id !== escalationId) {
      this.log.log(`task ${cause.taskId}: escalation ${escalationId} was decided and the run went on; not escalating again`);
      return;
    }
    const now = Date.now();
    const expiresAt = new Date(now + run.limits.escalationTimeoutSeconds * 1000).toISOString();
    const bundle = reviewBundle(run, a, await this.state.spend.taskTotal(cause.taskId));
    const attempts = Math.max(1, ...a.history.map((h) => h.attempt));
    const moved = await this.state.tasks.transition(cause.taskId, 'escalated', { from: ['running'], fields: { error: a.reason, attempts } });
    if (moved.applied) await this.settled(cause, 'escalated');
    if (!moved.applied && moved.status !== 'escalated') {
      await this.state.deadlines.clear(cause.taskId);
      return;
    }
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
    // An escalated task waits on its escalation's own timeout, not on the deadline.
    await this.state.deadlines.clear(cause.taskId);
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
    if (record?.applied.includes(stopped.eventId)) await this.handle(stopped, { kind: 'deadline' });
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
    await withSpan('plan deadline', attrs, () => this.handle(cause, input), { parent: traceParentOf(task) });
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

/** The context field holding the actions event `causeId` caused until they are carried out. */
function outboxField(causeId: string): string {
  return `${RUN}:outbox:${causeId}`;
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
