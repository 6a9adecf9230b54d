import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { causedBy, createEvent, stepRequestedTopic, type ErrorInfo, type StepRequested } from '@baton/contracts';
import type { LlmClient } from '@baton/llm';
import type { HandlerContext, MessageBus } from '@baton/messaging';
import { BUS, Readiness, STATE_STORE, startConsumer } from '@baton/service-kit';
import type { ModelBreakers, StateStore } from '@baton/state';
import { Attr, SpanEvent, withSpan, type Span } from '@baton/telemetry';
import { AGENT_CONFIG, LLM_CLIENT, agentRoles, type AgentConfig } from './config';
import { callWithFallbacks, candidateModels, type FallbackObserver, type ModelAttempt } from './model-fallback';
import { buildChatRequest } from './prompt-builder';
import { runToolLoop, type CallModel, type LoopResult } from './tool-loop';
import { requestFor } from './tools';

/**
 * Wiring only: runs one attempt of a step as a conversation with its model (tool-loop.ts),
 * falling back to the step's other models when a provider fails or a breaker is open
 * (model-fallback.ts), and publishes the usage of every model call and then the proposed
 * output, the hand-off, or why the attempt failed (no model could answer, tool budget
 * spent); the planner decides what next. Only a Kafka or Redis failure is thrown, so the
 * bus retries.
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
      const fallbacks = candidateModels(d.model, d.fallbackModels);
      const observer = this.observer(span, event.taskId);
      const tried: ModelAttempt[] = [];
      const callModel: CallModel = async (request) => {
        // Later turns start from the model that answered the first.
        const outcome = await callWithFallbacks(candidateModels(request.model, fallbacks), (model) => this.llm.chat(requestFor(request, model, (m, c) => this.llm.supports(m, c))), this.breakers, observer);
        tried.push(...outcome.tried);
        return outcome;
      };
      // A conversation (or several model calls, with fallbacks) may outlast the consumer session timeout: keep the membership alive.
      const beat = setInterval(() => void ctx.heartbeat().catch(() => undefined), 3000);
      let loop: LoopResult;
      try {
        loop = await runToolLoop(d, buildChatRequest(d), callModel, { mode: this.config.BATON_TOOL_MODE });
      } finally {
        clearInterval(beat);
      }
      span.setAttributes({ [Attr.modelsTried]: tried.map((t) => t.model), [Attr.toolCalls]: loop.toolCalls });
      for (const t of loop.tools) span.addEvent(SpanEvent.toolCall, { [Attr.toolName]: t.name, [Attr.toolOutcome]: t.outcome });
      const usage = loop.calls.map((call, i) =>
        createEvent('llm.usage', causedBy(event, i === 0 ? 'agent.usage' : `agent.usage:${i}`), {
          ...step,
          model: call.model,
          provider: call.provider,
          promptTokens: call.usage.promptTokens,
          completionTokens: call.usage.completionTokens,
          latencyMs: call.latencyMs,
        }),
      );
      const toolCalls = loop.toolCalls;
      switch (loop.kind) {
        case 'answer':
          span.setAttribute(Attr.modelUsed, loop.answer.model);
          await this.bus.publishAll([
            ...usage,
            createEvent('output.proposed', causedBy(event, 'agent.output'), {
              ...step,
              role: d.role,
              model: loop.answer.model,
              content: loop.answer.content,
              toolCalls,
              ...(d.outputSchema ? { outputSchema: d.outputSchema } : {}),
            }),
          ]);
          return;
        case 'handoff':
          this.log.log(`task ${event.taskId}: ${d.role} hands ${d.stepId} to ${loop.toRole}`);
          await this.bus.publishAll([
            ...usage,
            createEvent('step.handoff', causedBy(event, 'agent.handoff'), { ...step, fromRole: d.role, toRole: loop.toRole, reason: loop.reason, note: loop.note, toolCalls }),
          ]);
          return;
        case 'limit':
        case 'error': {
          const error: ErrorInfo =
            loop.kind === 'error'
              ? loop.error
              : { kind: 'policy', code: 'max_tool_calls', message: `the model kept calling tools past the step's budget of ${toolCalls} calls` };
          this.log.warn(`task ${event.taskId} attempt ${d.attempt}: ${error.code}: ${error.message}`);
          await this.bus.publishAll([...usage, createEvent('step.failed', causedBy(event, 'agent.failed'), { ...step, error, toolCalls })]);
          return;
        }
      }
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
