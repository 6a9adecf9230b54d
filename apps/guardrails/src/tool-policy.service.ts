import { Inject, Injectable } from '@nestjs/common';
import { canonicalHash, type ToolProposed } from '@baton/contracts';
import { carriesCanary, decideToolCall, type PermissionPolicy, type ToolCallDecision } from '@baton/guard';
import { toolGrantName, type ToolRegistry } from '@baton/agent-tools';
import { SERVICE_NAMESPACE, STATE_STORE, type ServiceNamespace } from '@baton/service-kit';
import type { StateStore } from '@baton/state';
import { GUARDRAILS_CONFIG, PERMISSION_POLICY, TOOL_REGISTRY, canaryOf, type GuardrailsConfig } from './config';

/** A tool-call decision: the policy's, or one of the guardrails' own refusals (bad arguments, another tenant's task). */
export type ToolDecision = Omit<ToolCallDecision, 'code' | 'unredact' | 'unredactFields'> & { code: string; unredact: readonly string[]; unredactFields: readonly string[] };

/**
 * Decides a proposed tool call with the permission policy. What the policy reads comes
 * from Baton, never from the agent's claim or the model: the tool's side effect from the
 * registry, the task type from the task's record, the tenant from the envelope, shadow
 * mode from this service's namespace. The arguments are validated again against the
 * tool's schema; a call a human approved (same tool, same arguments) is allowed.
 */
@Injectable()
export class ToolPolicy {
  constructor(
    @Inject(STATE_STORE) private readonly state: Pick<StateStore, 'tasks' | 'toolCalls' | 'context'>,
    @Inject(GUARDRAILS_CONFIG) private readonly config: GuardrailsConfig,
    @Inject(SERVICE_NAMESPACE) private readonly namespace: ServiceNamespace,
    @Inject(PERMISSION_POLICY) private readonly permissions: PermissionPolicy,
    @Inject(TOOL_REGISTRY) private readonly tools: ToolRegistry,
  ) {}

  /** The verdict on the proposed call. */
  async decide(event: ToolProposed): Promise<ToolDecision> {
    const d = event.data;
    const tool = this.tools.get(d.tool);
    const args = tool ? tool.args.safeParse(d.args) : undefined;
    const [task, ordinal] = await Promise.all([this.state.tasks.get(event.taskId), this.state.toolCalls.ordinal(event.taskId, d.tool, canonicalHash(d.args))]);
    const decision: ToolDecision =
      args && !args.success
        ? { decision: 'deny', code: 'bad_arguments', reason: `the arguments do not fit ${d.tool}'s schema`, unredact: [], unredactFields: [] }
        : task?.tenantId !== undefined && task.tenantId !== event.tenantId
          ? { decision: 'deny', code: 'tenant_mismatch', reason: 'the task belongs to another tenant', unredact: [], unredactFields: [] }
          : carriesCanary(d.args, canaryOf(this.config, event.taskId))
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
    return decision.decision === 'approval' ? await this.granted(event.taskId, d.tool, args?.success ? (args.data as Record<string, unknown>) : d.args, decision) : decision;
  }

  /** A call that needs approval runs when a human approved this very call (same tool, same arguments) for the task. */
  private async granted(taskId: string, tool: string, args: Record<string, unknown>, decision: ToolDecision): Promise<ToolDecision> {
    const grant = await this.state.context.get<{ decidedBy: string }>(taskId, toolGrantName(tool, args));
    if (!grant) return decision;
    return { ...decision, decision: 'allow', code: 'allowed', reason: `approved by ${grant.decidedBy}: ${decision.reason}` };
  }
}
