import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { causedBy, createEvent, type BatonEvent, type ErrorInfo, type StepRequested, type ToolVerdict } from '@baton/contracts';
import { LOCAL_CANARY_SECRET, PII_VAULT, taskCanary, toolsForRole, type PermissionPolicy, type PiiVault } from '@baton/guard';
import type { ChatRequest, ChatResult, LlmClient, ModelCatalog } from '@baton/llm';
import type { HandlerContext, MessageBus } from '@baton/messaging';
import { BUS, STATE_STORE, auditEvent } from '@baton/service-kit';
import type { ModelBreakers, StateStore } from '@baton/state';
import { Attr, SpanEvent, withSpan, type Span } from '@baton/telemetry';
import type { ToolRegistry } from '@baton/agent-tools';
import { recordStep, reportBreakerStates } from './agent-metrics';
import { Attempt } from './attempt';
import { AGENT_CONFIG, LLM_CLIENT, MODEL_CATALOG, PERMISSION_POLICY, TOOL_REGISTRY, type AgentConfig } from './config';
import { WITHHELD, restoreArgs, screenToolResult } from './content-guard';
import { classifyResult } from './guard-classifier';
import { callWithFallbacks, candidateModels, type FallbackObserver } from './model-fallback';
import { buildChatRequest } from './prompt-builder';
import { SpendGate } from './spend-gate';
import { runToolLoop, type CallModel, type LoopResult } from './tool-loop';
import { ToolRunner, type Proposal, type ToolPorts } from './tool-runner';
import { requestFor } from './tools';
import { VerdictInbox } from './verdict-inbox';

/**
 * Runs one attempt of a step as a conversation with its model (tool-loop.ts), falling back
 * to the step's other models when a provider fails, a breaker is open, a budget cannot
 * cover the call or a rate limit is spent (model-fallback.ts). Every model call goes through
 * the spend gate (spend-gate.ts): rate capacity, its worst case reserved against the task's,
 * tenant's and global budgets, its usage published with the reservation as soon as it
 * returns. Every tool call goes to the guardrails first (tool-runner.ts, verdicts in this
 * instance's inbox). What the attempt keeps while it runs is its Attempt (attempt.ts); at its
 * end the spend gate's events, the audit entries and the proposed output, the hand-off, or
 * why the attempt failed are published. Only a Kafka or Redis failure is thrown, so the bus
 * retries.
 */
@Injectable()
export class StepRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('agent');
  private readonly breakers: ModelBreakers;
  /** How tool calls reach the guardrails, the task's vault and the guard model; the same for every attempt. */
  private readonly toolPorts: ToolPorts;
  private stopBreakerGauge?: () => void;

  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(LLM_CLIENT) private readonly llm: LlmClient,
    @Inject(MODEL_CATALOG) private readonly catalog: ModelCatalog,
    @Inject(AGENT_CONFIG) private readonly config: AgentConfig,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(PERMISSION_POLICY) private readonly permissions: PermissionPolicy,
    @Inject(TOOL_REGISTRY) private readonly tools: ToolRegistry,
    private readonly inbox: VerdictInbox,
    private readonly spend: SpendGate,
  ) {
    this.breakers = state.breakers.withPolicy({ failureThreshold: config.BATON_BREAKER_FAILURES, openMs: config.BATON_BREAKER_OPEN_MS });
    this.toolPorts = {
      registry: tools,
      backend: state.tools,
      propose: (attempt, p) => this.propose(attempt, p),
      restore: async (attempt, args, plan) => restoreArgs(await attempt.taskVault(), args, plan),
      screenResult: (attempt, text, untrusted) => this.screenResult(attempt, text, untrusted),
      mode: config.BATON_TOOL_MODE,
    };
  }

  onApplicationBootstrap(): void {
    this.stopBreakerGauge = reportBreakerStates(
      this.catalog.list().map((m) => m.id),
      (models) => this.breakers.states(models),
    );
  }

  onApplicationShutdown(): void {
    // Before Redis closes: a last metrics export must not try to read the breakers.
    this.stopBreakerGauge?.();
  }

  /** Runs one attempt of a step; the caller holds the step's lease. */
  run(event: StepRequested, ctx: HandlerContext): Promise<void> {
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
      const startedAt = performance.now();
      const attempt = new Attempt(event, {
        ledger: this.state.budgets,
        loadVault: () => this.state.context.get<PiiVault>(event.taskId, PII_VAULT).then((v) => v ?? {}),
      });
      const observer = this.observer(span, event.taskId);
      const runner = new ToolRunner(this.toolPorts, attempt);
      const offered = toolsForRole(this.permissions, d.role).filter((n) => n !== 'lookup_input' || Object.keys(d.input.data ?? {}).length > 0);
      // A conversation (or several model calls, with fallbacks) may outlast the consumer session timeout: keep the membership alive.
      const beat = setInterval(() => void ctx.heartbeat().catch(() => undefined), 3000);
      let loop: LoopResult;
      let spending: BatonEvent[];
      try {
        const request = buildChatRequest(d, { canary: taskCanary(this.config.BATON_CANARY_SECRET ?? LOCAL_CANARY_SECRET, event.taskId) });
        loop = await runToolLoop(d, request, (req) => this.callModel(attempt, req, observer), { specs: ToolRunner.specs(this.tools, offered), run: (c) => runner.run(c) });
        spending = await this.spend.close(attempt);
      } finally {
        clearInterval(beat);
      }
      span.setAttributes({ [Attr.modelsTried]: attempt.modelsTried, [Attr.toolCalls]: loop.toolCalls });
      if (loop.kind === 'answer') span.setAttribute(Attr.modelUsed, loop.answer.model);
      for (const t of loop.tools) span.addEvent(SpanEvent.toolCall, { [Attr.toolName]: t.name, [Attr.toolOutcome]: t.outcome });
      const audits = attempt.auditTrail.map((a, i) => auditEvent(event, `agent:${i}`, a));
      await this.bus.publishAll([...spending, ...audits, this.resultOf(attempt, loop)]);
      recordStep(d.role, loop.kind, startedAt);
    });
  }

  /** One model call of the attempt through the step's fallbacks; later turns start from the model that answered the first. */
  private async callModel(attempt: Attempt, request: ChatRequest, observer: FallbackObserver): ReturnType<CallModel> {
    const outcome = await callWithFallbacks(candidateModels(request.model, attempt.models), (model) => this.callOne(attempt, request, model), this.breakers, observer);
    attempt.triedModels(outcome.tried);
    return outcome;
  }

  /** One call of one model, through the spend gate; a model without the `tools` capability gets no tools. */
  private callOne(attempt: Attempt, request: ChatRequest, model: string): Promise<ChatResult> {
    return this.spend.call(attempt, requestFor(request, model, (m, c) => this.llm.supports(m, c)), (req) => this.llm.chat(req));
  }

  /** The proposed output, the hand-off, or why the attempt failed. */
  private resultOf(attempt: Attempt, loop: LoopResult): BatonEvent {
    const { event, ref } = attempt;
    const toolCalls = loop.toolCalls;
    switch (loop.kind) {
      case 'answer':
        return createEvent('output.proposed', causedBy(event, 'agent.output'), {
          ...ref,
          role: attempt.role,
          model: loop.answer.model,
          content: loop.answer.content,
          toolCalls,
          ...(attempt.step.outputSchema ? { outputSchema: attempt.step.outputSchema } : {}),
        });
      case 'handoff':
        this.log.log(`task ${attempt.taskId}: ${attempt.role} hands ${attempt.stepId} to ${loop.toRole}`);
        return createEvent('step.handoff', causedBy(event, 'agent.handoff'), { ...ref, fromRole: attempt.role, toRole: loop.toRole, reason: loop.reason, note: loop.note, toolCalls });
      case 'limit':
      case 'error': {
        const error: ErrorInfo =
          loop.kind === 'error'
            ? loop.error
            : { kind: 'policy', code: 'max_tool_calls', message: `the model kept calling tools past the step's budget of ${toolCalls} calls` };
        this.log.warn(`task ${attempt.taskId} attempt ${attempt.number}: ${error.code}: ${error.message}`);
        return createEvent('step.failed', causedBy(event, 'agent.failed'), { ...ref, error, toolCalls });
      }
    }
  }

  /** Screens a tool result; an untrusted one also goes to the guard model, whose call is reserved, rate-limited and charged to the step like any other. */
  private async screenResult(attempt: Attempt, text: string, untrusted: boolean): Promise<{ text: string; findings: string[] }> {
    const injection = this.config.AGENT_TOOL_RESULT_INJECTION;
    const screened = screenToolResult(text, untrusted, await attempt.taskVault(), { injection });
    const guard = this.catalog.guardModel;
    return untrusted && guard ? classifyResult(screened, (req) => this.callOne(attempt, req, guard), { model: guard, withheld: WITHHELD, injection }) : screened;
  }

  /** Publishes the attempt's proposal and waits for this instance's verdict (fail closed on timeout). */
  private async propose(attempt: Attempt, proposal: Proposal): Promise<ToolVerdict['data'] | null> {
    const waiting = this.inbox.expect(proposal.callId, this.config.BATON_TOOL_VERDICT_TIMEOUT_MS);
    await this.bus.publish(createEvent('tool.proposed', causedBy(attempt.event, `agent.tool:${proposal.callId}`), { ...proposal, replyTo: this.inbox.instanceId }));
    return waiting;
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
