import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { canonicalHash, causedBy, createEvent, type ToolProposed } from '@baton/contracts';
import type { MessageBus } from '@baton/messaging';
import { BUS, auditEvent } from '@baton/service-kit';
import { Attr, withSpan } from '@baton/telemetry';
import { ToolPolicy } from './tool-policy.service';
import { countVerdict } from './verdict-metrics';

/**
 * Wiring only: hands a proposed tool call to the tool policy (tool-policy.service.ts) and
 * publishes its verdict, back to the waiting agent and to the audit trail. Event ids derive
 * from the cause, so a redelivery republishes the same ids and downstream drops them.
 */
@Controller()
export class ToolPolicyConsumer {
  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    private readonly policy: ToolPolicy,
  ) {}

  /** Tool calls wait on these verdicts: their own group, so a burst of outputs never delays them. */
  @EventPattern('tool.proposed', { group: 'guardrails-tools' })
  onToolProposed(@Payload() event: ToolProposed): Promise<void> {
    const d = event.data;
    const attrs = { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId, [Attr.stepId]: d.stepId, [Attr.toolName]: d.tool };
    return withSpan('guard tool', attrs, async (span) => {
      const verdict = await this.policy.decide(event);
      span.setAttributes({ [Attr.guardVerdict]: verdict.decision, [Attr.guardReason]: verdict.code });
      const { replyTo, callId, stepId, attempt } = d;
      await this.bus.publishAll([
        auditEvent(event, 'guard.tool', {
          category: 'tool',
          actor: 'guardrails',
          decision: verdict.decision,
          reason: verdict.reason,
          subject: d.tool,
          details: { callId, stepId, attempt, role: d.role, code: verdict.code, ...(verdict.rule ? { rule: verdict.rule } : {}) },
        }),
        createEvent('tool.verdict', causedBy(event, 'guard.tool'), {
          stepId,
          attempt,
          callId,
          tool: d.tool,
          replyTo,
          decision: verdict.decision,
          reason: verdict.reason,
          ...(verdict.rule ? { rule: verdict.rule } : {}),
          unredact: [...verdict.unredact],
          unredactFields: [...verdict.unredactFields],
          argsHash: canonicalHash(d.args),
        }),
      ]);
      countVerdict('tool', verdict.decision);
    });
  }
}
