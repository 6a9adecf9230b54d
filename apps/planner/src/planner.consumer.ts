import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BUDGET_POLICY, type BudgetPolicy } from '@baton/budget';
import type { OutputApproved, OutputBlocked, PlanRouted, StepFailed, StepHandoff, TaskDecision, TaskRouted } from '@baton/contracts';
import { STATE_STORE } from '@baton/service-kit';
import type { StateStore } from '@baton/state';
import { Attr, withSpan } from '@baton/telemetry';
import { PLANNER_CONFIG, type PlannerConfig } from './config';
import { PlannerRuns, type Cause } from './planner-runs.service';
import type { AttemptReport } from './run-state';

/**
 * Wiring only: turns each event of a task into the planner's input and hands it to the
 * task's run (planner-runs.service.ts), which decides and carries out the actions. Deadlines
 * and escalation timeouts come from the sweeper (deadline-sweeper.service.ts) instead.
 */
@Controller()
export class PlannerConsumer {
  constructor(
    private readonly runs: PlannerRuns,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(PLANNER_CONFIG) private readonly config: PlannerConfig,
    @Inject(BUDGET_POLICY) private readonly budgets: BudgetPolicy,
  ) {}

  @EventPattern('task.routed')
  onRouted(@Payload() event: TaskRouted): Promise<void> {
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
      await this.runs.handle(event, { kind: 'routed', routed: event.data, defaults, taskStatus: task?.status ?? null });
    });
  }

  @EventPattern('output.approved')
  onApproved(@Payload() event: OutputApproved): Promise<void> {
    const { stepId, attempt, toolCalls, output } = event.data;
    return this.inSpan(event, 'plan step done', { stepId, attempt }, () =>
      this.runs.handle(event, { kind: 'approved', stepId, attempt, output, report: toolCalls === undefined ? {} : { toolCalls } }),
    );
  }

  @EventPattern('output.blocked')
  onBlocked(@Payload() e: OutputBlocked): Promise<void> {
    return this.onSetback(e, 'blocked', `${e.data.reason.code}: ${e.data.reason.message}`, e.data.reason.code, e.data.toolCalls, e.data.reason.details);
  }

  @EventPattern('step.failed')
  onFailed(@Payload() e: StepFailed): Promise<void> {
    return this.onSetback(e, 'failed', `${e.data.error.code}: ${e.data.error.message}`, e.data.error.code, e.data.toolCalls, e.data.error.details);
  }

  private onSetback(event: OutputBlocked | StepFailed, outcome: 'blocked' | 'failed', reason: string, code?: string, toolCalls?: number, details?: unknown): Promise<void> {
    const { stepId, attempt } = event.data;
    const report = { ...(code ? { code } : {}), ...(toolCalls !== undefined ? { toolCalls } : {}), ...reportDetails(code, details) };
    return this.inSpan(event, 'plan setback', { stepId, attempt }, () => this.runs.handle(event, { kind: 'setback', stepId, attempt, outcome, reason, report }));
  }

  @EventPattern('step.handoff')
  onHandoff(@Payload() event: StepHandoff): Promise<void> {
    const { stepId, attempt, toRole, reason, note, toolCalls } = event.data;
    return this.inSpan(event, 'plan hand-off', { stepId, attempt }, () =>
      this.runs.handle(event, { kind: 'handoff', stepId, attempt, toRole, handoff: { reason, note }, report: { toolCalls } }),
    );
  }

  @EventPattern('plan.routed')
  onPlanRouted(@Payload() event: PlanRouted): Promise<void> {
    const { revision, plan, error } = event.data;
    return this.inSpan(event, 'plan routed', {}, () => this.runs.handle(event, { kind: 'plan-routed', revision, ...(plan ? { plan } : {}), ...(error ? { error } : {}) }));
  }

  /** A human decided (or an escalation timed out): resume the task once, from where it stopped. */
  @EventPattern('task.decision')
  onDecision(@Payload() event: TaskDecision): Promise<void> {
    const attrs = { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId, [Attr.escalationId]: event.data.escalationId, [Attr.decisionAction]: event.data.action };
    return withSpan('plan decision', attrs, () => this.runs.handle(event, { kind: 'decision', decision: event.data }));
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
