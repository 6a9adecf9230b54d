import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { causedBy, createEvent, stepRequestedTopic, type StepRequested } from '@baton/contracts';
import type { ChatResult, LlmClient } from '@baton/llm';
import type { HandlerContext, MessageBus } from '@baton/messaging';
import { BUS, Readiness, STATE_STORE, startConsumer } from '@baton/service-kit';
import type { ModelBreakers, StateStore } from '@baton/state';
import { Attr, SpanEvent, withSpan, type Span } from '@baton/telemetry';
import { AGENT_CONFIG, LLM_CLIENT, agentRoles, type AgentConfig } from './config';
import { callWithFallbacks, candidateModels, type FallbackObserver, type FallbackResult } from './model-fallback';
import { buildChatRequest } from './prompt-builder';

/**
 * Wiring only: runs one attempt of a step on its model, falling back to the step's other
 * models when a provider fails or a breaker is open (model-fallback.ts), and publishes the
 * proposed output and the usage under the model that answered. When no model could answer,
 * the attempt ends with `step.failed` (the planner decides what next); only a Kafka or
 * Redis failure is thrown, so the bus retries.
 */
@Injectable()
export class AgentConsumer implements OnApplicationBootstrap {
  private readonly log = new Logger('agent');
  private readonly breakers: ModelBreakers;

  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(LLM_CLIENT) private readonly llm: LlmClient,
    @Inject(AGENT_CONFIG) private readonly config: AgentConfig,
    @Inject(STATE_STORE) state: StateStore,
    private readonly readiness: Readiness,
  ) {
    this.breakers = state.breakers.withPolicy({ failureThreshold: config.BATON_BREAKER_FAILURES, openMs: config.BATON_BREAKER_OPEN_MS });
  }

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
    const attrs = {
      [Attr.taskId]: event.taskId,
      [Attr.tenantId]: event.tenantId,
      [Attr.role]: d.role,
      [Attr.stepId]: d.stepId,
      [Attr.stepAttempt]: d.attempt,
      [Attr.modelRequested]: d.model,
    };
    return withSpan(`agent ${d.role}`, attrs, async (span) => {
      const step = { stepId: d.stepId, attempt: d.attempt };
      const request = buildChatRequest(d);
      // A model call (or several, with fallbacks) may outlast the consumer session timeout: keep the membership alive.
      const beat = setInterval(() => void ctx.heartbeat().catch(() => undefined), 3000);
      let outcome: FallbackResult<ChatResult>;
      try {
        outcome = await callWithFallbacks(
          candidateModels(d.model, d.fallbackModels),
          (model) => this.llm.chat({ ...request, model }),
          this.breakers,
          this.observer(span, event.taskId),
        );
      } finally {
        clearInterval(beat);
      }
      span.setAttribute(Attr.modelsTried, outcome.tried.map((t) => t.model));
      if (!outcome.ok) {
        this.log.warn(`task ${event.taskId} attempt ${d.attempt}: ${outcome.error.code}: ${outcome.error.message}`);
        await this.bus.publish(createEvent('step.failed', causedBy(event, 'agent.failed'), { ...step, error: outcome.error }));
        return;
      }
      const result = outcome.value;
      span.setAttribute(Attr.modelUsed, result.model);
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

  /** Puts each fallback and breaker change on the step's span, and in the log. */
  private observer(span: Span, taskId: string): FallbackObserver {
    return {
      fallback: (from, to, reason) => {
        span.addEvent(SpanEvent.modelFallback, {
          [Attr.fallbackFrom]: from,
          [Attr.fallbackReason]: reason,
          ...(to ? { [Attr.fallbackTo]: to } : {}),
        });
        this.log.warn(`task ${taskId}: giving up on ${from} (${reason})${to ? `, trying ${to}` : ', no model left'}`);
      },
      breaker: (model, state) => {
        span.addEvent(state === 'open' ? SpanEvent.breakerOpened : SpanEvent.breakerClosed, { [Attr.breakerModel]: model });
        this.log.warn(`circuit breaker of ${model} ${state === 'open' ? 'opened' : 'closed'}`);
      },
    };
  }
}
