import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { causedBy, createEvent, stepRequestedTopic, type ErrorInfo, type StepRequested } from '@baton/contracts';
import { LlmError, type ChatResult, type LlmClient } from '@baton/llm';
import type { HandlerContext, MessageBus } from '@baton/messaging';
import { BUS, Readiness, startConsumer } from '@baton/service-kit';
import { Attr, withSpan } from '@baton/telemetry';
import { AGENT_CONFIG, LLM_CLIENT, agentRoles, type AgentConfig } from './config';
import { buildChatRequest } from './prompt-builder';

/** How a model error is reported to the planner. */
export function describeModelError(err: unknown): ErrorInfo {
  if (err instanceof LlmError) {
    return { kind: err.kind === 'bad_response' ? 'model' : 'system', code: `llm_${err.kind}`, message: err.message };
  }
  return { kind: 'system', code: 'agent_error', message: err instanceof Error ? err.message : String(err) };
}

/**
 * Wiring only: runs one attempt of a step on the model and publishes the proposed output
 * and the usage. A model that keeps failing ends the attempt with `step.failed` (the
 * planner decides what next); only a Kafka failure is thrown, so the bus retries.
 */
@Injectable()
export class AgentConsumer implements OnApplicationBootstrap {
  private readonly log = new Logger('agent');

  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(LLM_CLIENT) private readonly llm: LlmClient,
    @Inject(AGENT_CONFIG) private readonly config: AgentConfig,
    private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // One consumer group per role, so each role scales and lags on its own.
    await Promise.all(
      agentRoles(this.config).map((role) =>
        startConsumer(this.bus, this.readiness, {
          groupId: `agent-${role}`,
          topics: [stepRequestedTopic(role)],
          handlers: { 'step.requested': (e, ctx) => this.onStep(e, ctx) },
        }),
      ),
    );
  }

  private onStep(event: StepRequested, ctx: HandlerContext): Promise<void> {
    const d = event.data;
    const attrs = { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId, [Attr.role]: d.role, [Attr.stepId]: d.stepId, [Attr.stepAttempt]: d.attempt };
    return withSpan(`agent ${d.role}`, attrs, async () => {
      const step = { stepId: d.stepId, attempt: d.attempt };
      let result: ChatResult;
      // A model call may outlast the consumer session timeout: keep the membership alive.
      const beat = setInterval(() => void ctx.heartbeat().catch(() => undefined), 3000);
      try {
        result = await this.llm.chat(buildChatRequest(d));
      } catch (err) {
        const error = describeModelError(err);
        this.log.warn(`task ${event.taskId} attempt ${d.attempt}: ${error.code}: ${error.message}`);
        await this.bus.publish(createEvent('step.failed', causedBy(event, 'agent.failed'), { ...step, error }));
        return;
      } finally {
        clearInterval(beat);
      }
      await this.bus.publishAll([
        createEvent('llm.usage', causedBy(event, 'agent.usage'), {
          ...step,
          model: result.model,
          provider: result.provider,
          promptTokens: result.usage.promptTokens,
          completionTokens: result.usage.completionTokens,
          latencyMs: result.latencyMs,
        }),
        createEvent('output.proposed', causedBy(event, 'agent.output'), {
          ...step,
          role: d.role,
          model: result.model,
          content: result.content,
          ...(d.outputSchema ? { outputSchema: d.outputSchema } : {}),
        }),
      ]);
    });
  }
}
