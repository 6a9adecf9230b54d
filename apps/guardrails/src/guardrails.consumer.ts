import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { causedBy, createEvent, type OutputProposed, type TaskSubmitted } from '@baton/contracts';
import { PII_VAULT, type OutputRulesConfig, type PiiVault } from '@baton/guard';
import type { MessageBus } from '@baton/messaging';
import { BUS, STATE_STORE, auditEvent, recordTaskSettled } from '@baton/service-kit';
import type { StateStore } from '@baton/state';
import { Attr, withSpan } from '@baton/telemetry';
import { GUARDRAILS_CONFIG, OUTPUT_RULES, canaryOf, type GuardrailsConfig } from './config';
import { screenInput } from './input-screen';
import { screenOutput } from './output-screen';
import { TaskIntake } from './task-intake.service';
import { countVerdict } from './verdict-metrics';

/**
 * Wiring only: takes a submitted task in (task-intake.service.ts), applies the input and
 * output screens and publishes their verdicts. State moves before the verdict is published,
 * so the next service never sees a task its state does not know yet; event ids derive from
 * the cause, so a redelivery republishes the same ids and downstream drops them.
 * Tool calls are decided in tool-policy.consumer.ts, the audit trail filed in
 * audit-trail.consumer.ts, each in a consumer group of its own.
 */
@Controller()
export class GuardrailsConsumer {
  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: Pick<StateStore, 'tasks' | 'context'>,
    @Inject(GUARDRAILS_CONFIG) private readonly config: GuardrailsConfig,
    private readonly intake: TaskIntake,
    @Inject(OUTPUT_RULES) private readonly outputRules: OutputRulesConfig,
  ) {}

  @EventPattern('task.submitted')
  onSubmitted(@Payload() event: TaskSubmitted): Promise<void> {
    return withSpan('guard input', { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId }, async (span) => {
      await this.intake.register(event);
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

  @EventPattern('output.proposed')
  onProposed(@Payload() event: OutputProposed): Promise<void> {
    const d = event.data;
    return withSpan(
      'guard output',
      { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId, [Attr.stepId]: d.stepId, [Attr.stepAttempt]: d.attempt },
      async (span) => {
        const vault = (await this.state.context.get<PiiVault>(event.taskId, PII_VAULT)) ?? {};
        const verdict = screenOutput(d, { rules: this.outputRules, vault, canary: canaryOf(this.config, event.taskId) });
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
