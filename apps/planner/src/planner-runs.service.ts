import { Inject, Injectable, Logger } from '@nestjs/common';
import { causedBy, createEvent, type TaskStatus } from '@baton/contracts';
import type { MessageBus } from '@baton/messaging';
import { BUS, STATE_STORE, auditEvent, recordTaskSettled, type SettledOutcome } from '@baton/service-kit';
import type { StateStore } from '@baton/state';
import { toolGrantName } from '@baton/agent-tools';
import { Attr, annotateCurrentSpan } from '@baton/telemetry';
import { reviewBundle } from './review-bundle';
import { asRunRecord, decide, escalationIdOf, type PlannerInput, type RunRecord } from './decide';
import type { Action, RunState } from './run-state';

/** Context field holding the run record (see decide.ts). */
export const RUN = 'run';
/** Compare-and-set tries before an event is handed back to the bus' retries. */
const MAX_SAVE_TRIES = 20;
/** Every status a stop may end. */
const UNFINISHED: TaskStatus[] = ['submitted', 'admitted', 'routed', 'running', 'escalated'];

/** Identity of the event that caused the actions, for derived event ids. */
export interface Cause {
  eventId: string;
  taskId: string;
  tenantId: string;
}

/**
 * A task's run, one cause at a time: the decisions live in decide.ts (run-state.ts and
 * decision.ts below it). Each cause loads the task's run record, decides, saves it with
 * compare-and-set on its revision, then carries out the actions kept in the record's outbox.
 * Events of one task come on several topics and may be handled at once (or by two
 * replicas): the compare-and-set makes the later save decide again instead of losing the
 * earlier one's update. Published events derive their ids from the cause, so a replay
 * publishes the same ids and consumers drop the duplicates.
 */
@Injectable()
export class PlannerRuns {
  private readonly log = new Logger('planner');

  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
  ) {}

  /**
   * One event of a task: load the record, decide, save with compare-and-set (deciding again
   * on a conflict), then carry out the actions. A redelivered event whose actions were saved
   * but not all carried out (a crash in between) carries out the same actions again, with
   * the same event ids, so consumers drop what they already had.
   */
  async handle(cause: Cause, input: PlannerInput): Promise<void> {
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
}

/** The context field holding the actions event `causeId` caused until they are carried out. */
function outboxField(causeId: string): string {
  return `${RUN}:outbox:${causeId}`;
}
