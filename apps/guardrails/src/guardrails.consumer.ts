import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DEFAULT_DEADLINE_SECONDS, causedBy, createEvent, type AuditRecorded, type OutputProposed, type TaskSubmitted, type ToolProposed } from '@baton/contracts';
import { LOCAL_CANARY_SECRET, PII_VAULT, carriesCanary, decideToolCall, taskCanary, type OutputRulesConfig, type PermissionPolicy, type PiiVault, type ToolCallDecision } from '@baton/guard';
import { canonicalHash } from '@baton/contracts';
import { toolGrantName, type ToolRegistry } from '@baton/agent-tools';
import { UnprocessableEvent, type MessageBus } from '@baton/messaging';
import { BUS, SERVICE_NAMESPACE, STATE_STORE, auditEvent, recordTaskSettled, type ServiceNamespace } from '@baton/service-kit';
import { ShadowIndex } from '@baton/shadow';
import type { StateStore } from '@baton/state';
import { Attr, currentSpanId, currentTraceId, withSpan } from '@baton/telemetry';
import { GUARDRAILS_CONFIG, OUTPUT_RULES, PERMISSION_POLICY, TOOL_REGISTRY, type GuardrailsConfig } from './config';
import { screenInput } from './input-screen';
import { screenOutput } from './output-screen';
import { countVerdict } from './verdict-metrics';

/** A tool-call decision: the policy's, or one of the guardrails' own refusals (bad arguments, another tenant's task). */
type Decided = Omit<ToolCallDecision, 'code' | 'unredact' | 'unredactFields'> & { code: string; unredact: readonly string[]; unredactFields: readonly string[] };

/**
 * Wiring only: applies the input and output screens and publishes their verdicts.
 * State moves before the verdict is published, so the next service never sees a task
 * its state does not know yet; event ids derive from the cause, so a redelivery
 * republishes the same ids and downstream drops them.
 *
 * In a namespace (a shadow), `task.submitted` is read from live: the gateway created the
 * live record only, so the guardrails create the namespace's own record first and index it
 * for the shadow report; everything downstream then runs unchanged in the namespace.
 */
@Controller()
export class GuardrailsConsumer {
  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(GUARDRAILS_CONFIG) private readonly config: GuardrailsConfig,
    @Inject(SERVICE_NAMESPACE) private readonly namespace: ServiceNamespace,
    @Inject(PERMISSION_POLICY) private readonly permissions: PermissionPolicy,
    @Inject(TOOL_REGISTRY) private readonly tools: ToolRegistry,
    @Inject(OUTPUT_RULES) private readonly outputRules: OutputRulesConfig,
  ) {}

  /**
   * Decides a proposed tool call with the permission policy. What the policy reads comes
   * from Baton, never from the agent's claim or the model: the tool's side effect from the
   * registry, the task type from the task's record, the tenant from the envelope, shadow
   * mode from this service's namespace. The arguments are validated again against the
   * tool's schema. The verdict goes back to the waiting agent, and to the audit trail.
   * Tool calls wait on these verdicts: their own group, so a burst of outputs never delays them.
   */
  @EventPattern('tool.proposed', { group: 'guardrails-tools' })
  onToolProposed(@Payload() event: ToolProposed): Promise<void> {
    const d = event.data;
    const attrs = { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId, [Attr.stepId]: d.stepId, [Attr.toolName]: d.tool };
    return withSpan('guard tool', attrs, async (span) => {
      const tool = this.tools.get(d.tool);
      const args = tool ? tool.args.safeParse(d.args) : undefined;
      const [task, ordinal] = await Promise.all([this.state.tasks.get(event.taskId), this.state.toolCalls.ordinal(event.taskId, d.tool, canonicalHash(d.args))]);
      const decision: Decided =
        args && !args.success
          ? { decision: 'deny', code: 'bad_arguments', reason: `the arguments do not fit ${d.tool}'s schema`, unredact: [], unredactFields: [] }
          : task?.tenantId !== undefined && task.tenantId !== event.tenantId
            ? { decision: 'deny', code: 'tenant_mismatch', reason: 'the task belongs to another tenant', unredact: [], unredactFields: [] }
            : carriesCanary(d.args, this.canary(event.taskId))
              ? { decision: 'deny', code: 'canary_leak', reason: 'the arguments carry the confidential marker of the system prompt; the call was refused', unredact: [], unredactFields: [] }
              : decideToolCall(this.permissions, {
                tool: d.tool,
                sideEffect: tool?.sideEffect,
                role: d.role,
                tenantId: event.tenantId,
                taskType: task?.taskType ?? '',
                shadow: this.namespace.namespace !== null,
                args: args?.success ? (args.data as Record<string, unknown>) : d.args,
                callsSoFar: ordinal - 1,
                ...(tool ? { realValues: { fields: tool.needsRealValues, recipient: tool.recipient } } : {}),
                flows: d.flows,
              });
      const verdict = decision.decision === 'approval' ? await this.granted(event.taskId, d.tool, args?.success ? (args.data as Record<string, unknown>) : d.args, decision) : decision;
      span.setAttributes({ [Attr.guardVerdict]: verdict.decision, [Attr.guardReason]: verdict.code });
      const { replyTo, callId, stepId, attempt } = d;
      await this.bus.publishAll([
        auditEvent(event, 'guard.tool', {
          category: 'tool',
          actor: 'guardrails',
          decision: verdict.decision,
          reason: verdict.reason,
          subject: d.tool,
          details: { callId, stepId, attempt, role: d.role, code: verdict.code, ...('rule' in verdict && verdict.rule ? { rule: decision.rule } : {}) },
        }),
        createEvent('tool.verdict', causedBy(event, 'guard.tool'), {
          stepId,
          attempt,
          callId,
          tool: d.tool,
          replyTo,
          decision: verdict.decision,
          reason: verdict.reason,
          ...('rule' in verdict && verdict.rule ? { rule: decision.rule } : {}),
          unredact: [...verdict.unredact],
          unredactFields: [...verdict.unredactFields],
          argsHash: canonicalHash(d.args),
        }),
      ]);
      countVerdict('tool', verdict.decision);
    });
  }

  /** The task's canary, planted by the agents in every system prompt of the task. */
  private canary(taskId: string): string {
    return taskCanary(this.config.BATON_CANARY_SECRET ?? LOCAL_CANARY_SECRET, taskId);
  }

  /** A call that needs approval runs when a human approved this very call (same tool, same arguments) for the task. */
  private async granted(taskId: string, tool: string, args: Record<string, unknown>, decision: Decided): Promise<Decided> {
    const grant = await this.state.context.get<{ decidedBy: string }>(taskId, toolGrantName(tool, args));
    if (!grant) return decision;
    return { ...decision, decision: 'allow', code: 'allowed', reason: `approved by ${grant.decidedBy}: ${decision.reason}` };
  }

  /** The audit trail's index: every service publishes its entries on the audit topic; this group files them per task. */
  @EventPattern('audit.recorded', { group: 'audit-trail' })
  async onAudit(@Payload() event: AuditRecorded): Promise<void> {
    const d = event.data;
    await this.state.audit.append({
      eventId: event.eventId,
      at: event.occurredAt,
      tenantId: event.tenantId,
      taskId: event.taskId,
      category: d.category,
      actor: d.actor,
      decision: d.decision,
      reason: d.reason,
      ...(d.subject !== undefined ? { subject: d.subject } : {}),
      ...(d.traceId !== undefined ? { traceId: d.traceId } : {}),
      ...(d.details !== undefined ? { details: d.details } : {}),
    });
  }

  @EventPattern('task.submitted')
  onSubmitted(@Payload() event: TaskSubmitted): Promise<void> {
    return withSpan('guard input', { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId }, async (span) => {
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
      const verdict = screenInput(
        event.data,
        { maxInputChars: this.config.GUARD_MAX_INPUT_CHARS, maxInstructionChars: this.config.GUARD_MAX_INSTRUCTION_CHARS },
        { injection: this.config.GUARD_INJECTION_ACTION },
      );
      span.setAttribute(Attr.guardVerdict, verdict.admit ? 'admit' : 'reject');
      if (verdict.admit) {
        const redacted = verdict.task.redactions.reduce((n, r) => n + r.count, 0);
        // Kept with the task for tools a policy lets see a real value (an e-mail to send to).
        if (Object.keys(verdict.vault).length) await this.state.context.put(event.taskId, PII_VAULT, verdict.vault);
        await this.state.tasks.transition(event.taskId, 'admitted', { from: ['submitted'] });
        await this.bus.publishAll([
          auditEvent(event, 'guard.input', {
            category: 'input',
            actor: 'guardrails',
            decision: redacted ? 'redact' : 'admit',
            reason: redacted ? `admitted with ${redacted} personal data or secret value(s) replaced by placeholders` : 'admitted: within limits, nothing to redact',
            details: { redactions: verdict.task.redactions, ...(verdict.injection ? { injection: verdict.injection } : {}) },
          }),
          createEvent('task.admitted', causedBy(event, 'guard.input'), verdict.task),
        ]);
        countVerdict('input', redacted ? 'redact' : 'admit');
      } else {
        span.setAttribute(Attr.guardReason, verdict.reason.code);
        const moved = await this.state.tasks.transition(event.taskId, 'rejected', { from: ['submitted'], fields: { error: verdict.reason } });
        // Timed from the submission event, which the gateway stamps as it creates the task.
        if (moved.applied) recordTaskSettled('rejected', event.tenantId, event.occurredAt);
        await this.bus.publishAll([
          auditEvent(event, 'guard.input', { category: 'input', actor: 'guardrails', decision: 'reject', reason: `${verdict.reason.code}: ${verdict.reason.message}` }),
          createEvent('task.rejected', causedBy(event, 'guard.input'), { stage: 'input', reason: verdict.reason }),
        ]);
        countVerdict('input', 'reject');
      }
    });
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

  @EventPattern('output.proposed')
  onProposed(@Payload() event: OutputProposed): Promise<void> {
    const d = event.data;
    return withSpan(
      'guard output',
      { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId, [Attr.stepId]: d.stepId, [Attr.stepAttempt]: d.attempt },
      async (span) => {
        const vault = (await this.state.context.get<PiiVault>(event.taskId, PII_VAULT)) ?? {};
        const verdict = screenOutput(d, { rules: this.outputRules, vault, canary: this.canary(event.taskId) });
        const found = verdict.findings.map((f) => ({ rule: f.rule, kind: f.kind, action: f.action }));
        span.setAttribute(Attr.guardVerdict, verdict.approve ? 'approve' : 'block');
        const origin = causedBy(event, 'guard.output');
        const tools = d.toolCalls === undefined ? {} : { toolCalls: d.toolCalls };
        const subject = `${d.stepId}#${d.attempt}`;
        if (verdict.approve) {
          await this.bus.publishAll([
            auditEvent(event, 'guard.output', {
              category: 'output',
              actor: 'guardrails',
              decision: found.length ? 'redact' : 'approve',
              reason: found.length ? `approved with ${found.length} value(s) redacted` : 'the output passed the checks',
              subject,
              ...(found.length ? { details: { findings: found } } : {}),
            }),
            createEvent('output.approved', origin, { stepId: d.stepId, attempt: d.attempt, output: verdict.output, ...tools }),
          ]);
          countVerdict('output', found.length ? 'redact' : 'approve');
        } else {
          span.setAttribute(Attr.guardReason, verdict.reason.code);
          await this.bus.publishAll([
            auditEvent(event, 'guard.output', {
              category: 'output',
              actor: 'guardrails',
              decision: verdict.reason.code === 'output_escalated' ? 'escalate' : 'block',
              reason: `${verdict.reason.code}: ${verdict.reason.message}`.slice(0, 2000),
              subject,
              ...(found.length ? { details: { findings: found } } : {}),
            }),
            createEvent('output.blocked', origin, { stepId: d.stepId, attempt: d.attempt, reason: verdict.reason, ...tools }),
          ]);
          countVerdict('output', verdict.reason.code === 'output_escalated' ? 'escalate' : 'block');
        }
      },
    );
  }
}
