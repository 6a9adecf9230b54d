import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BUDGET_POLICY, type BudgetPolicy } from '@baton/budget';
import { causedBy, createEvent, type BatonEvent, type ErrorInfo, type StepRequested, type ToolVerdict } from '@baton/contracts';
import { LOCAL_CANARY_SECRET, PII_VAULT, taskCanary, toolsForRole, type PermissionPolicy, type PiiVault } from '@baton/guard';
import type { ChatRequest, ChatResult, LlmClient, ModelCatalog } from '@baton/llm';
import type { HandlerContext, MessageBus } from '@baton/messaging';
import { BUS, STATE_STORE, auditEvent, type AuditEntry } from '@baton/service-kit';
import { CallReservations, type ModelBreakers, type StateStore } from '@baton/state';
import { Attr, SpanEvent, withSpan, type Span } from '@baton/telemetry';
import type { ToolRegistry } from '@baton/agent-tools';
import { recordStep, reportBreakerStates } from './agent-metrics';
import { AGENT_CONFIG, LLM_CLIENT, MODEL_CATALOG, PERMISSION_POLICY, TOOL_REGISTRY, type AgentConfig } from './config';
import { WITHHELD, restoreArgs, screenToolResult } from './content-guard';
import { classifyResult } from './guard-classifier';
import { callWithFallbacks, candidateModels, type FallbackObserver, type ModelAttempt } from './model-fallback';
import { buildChatRequest } from './prompt-builder';
import { BudgetRefusedError } from './spend-gate';
import { StepSpend, type LowScope } from './step-spend.service';
import { runToolLoop, type CallModel, type LoopResult } from './tool-loop';
import { ToolRunner, type Proposal } from './tool-runner';
import { requestFor } from './tools';
import { VerdictInbox } from './verdict-inbox';

/**
 * Runs one attempt of a step as a conversation with its model (tool-loop.ts), falling back
 * to the step's other models when a provider fails, a breaker is open, a budget cannot
 * cover the call or a rate limit is spent (model-fallback.ts). Before each model call the
 * worst-case cost is reserved against the task's, tenant's and global budgets
 * (step-spend.service.ts); the usage event carries the reservation for the cost accountant
 * to settle. Every tool call goes to the guardrails first (tool-runner.ts, verdicts in this
 * instance's inbox). Publishes each model call's usage as soon as the call returns, then the
 * audit entries and the proposed output, the hand-off, or why the attempt failed. Only a
 * Kafka or Redis failure is thrown, so the bus retries.
 */
@Injectable()
export class StepRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('agent');
  private readonly breakers: ModelBreakers;
  private stopBreakerGauge?: () => void;

  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(LLM_CLIENT) private readonly llm: LlmClient,
    @Inject(MODEL_CATALOG) private readonly catalog: ModelCatalog,
    @Inject(AGENT_CONFIG) private readonly config: AgentConfig,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(BUDGET_POLICY) private readonly budgets: BudgetPolicy,
    @Inject(PERMISSION_POLICY) private readonly permissions: PermissionPolicy,
    @Inject(TOOL_REGISTRY) private readonly tools: ToolRegistry,
    private readonly inbox: VerdictInbox,
    private readonly spend: StepSpend,
  ) {
    this.breakers = state.breakers.withPolicy({ failureThreshold: config.BATON_BREAKER_FAILURES, openMs: config.BATON_BREAKER_OPEN_MS });
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
      const step = { stepId: d.stepId, attempt: d.attempt };
      const fallbacks = candidateModels(d.model, d.fallbackModels);
      const observer = this.observer(span, event.taskId);
      const tried: ModelAttempt[] = [];
      const audits: AuditEntry[] = [];
      const lowScopes = new Map<string, LowScope>();
      const refusals: BudgetRefusedError[] = [];
      // Reservation ids a rerun of this attempt finds again (call-reservations.ts).
      const reservations = new CallReservations(this.state.budgets, event.eventId, randomUUID);
      // Read once, and only when a tool call needs it: most steps call no tool.
      let vault: Promise<PiiVault> | undefined;
      const taskVault = (): Promise<PiiVault> => (vault ??= this.state.context.get<PiiVault>(event.taskId, PII_VAULT).then((v) => v ?? {}));

      const callOne = async (request: ChatRequest, model: string): Promise<ChatResult> => {
        const spec = this.catalog.get(model);
        const req = requestFor({ ...request, maxTokens: Math.min(this.budgets.maxCompletionTokens, spec.maxOutputTokens) }, model, (m, c) => this.llm.supports(m, c));
        await this.spend.takeRate(event.tenantId, model, req, spec.rateLimits);
        const reservation = await this.spend.reserve(event, model, req, reservations, lowScopes, refusals);
        let result: ChatResult;
        try {
          result = await this.llm.chat(req);
        } catch (err) {
          await this.state.budgets.release(reservation.id);
          throw err;
        }
        // Charged as soon as it is spent: a crash later in the conversation must not leave this
        // call unpaid, and the id comes from this call's reservation, so a rerun's calls are
        // charged as the new calls they are while a redelivered usage is charged once. A crash
        // during the call leaves its reservation held: the step's rerun charges it (reserve).
        await this.bus.publish(
          createEvent('llm.usage', causedBy(event, `agent.usage:${reservation.id}`), {
            ...step,
            model: result.model,
            provider: result.provider,
            promptTokens: result.usage.promptTokens,
            completionTokens: result.usage.completionTokens,
            latencyMs: result.latencyMs,
            reservation,
          }),
        );
        return result;
      };
      const callModel: CallModel = async (request) => {
        // Later turns start from the model that answered the first.
        const outcome = await callWithFallbacks(candidateModels(request.model, fallbacks), (model) => callOne(request, model), this.breakers, observer);
        tried.push(...outcome.tried);
        return outcome;
      };
      const runner = new ToolRunner(
        {
          registry: this.tools,
          backend: this.state.tools,
          propose: (p) => this.propose(event, p),
          restore: async (args, plan) => restoreArgs(await taskVault(), args, plan),
          screenResult: async (text, untrusted) => {
            const injection = this.config.AGENT_TOOL_RESULT_INJECTION;
            const screened = screenToolResult(text, untrusted, await taskVault(), { injection });
            const guard = this.catalog.guardModel;
            // The guard model's call is reserved, rate-limited and charged to the step like any other.
            return untrusted && guard ? classifyResult(screened, (req) => callOne(req, guard), { model: guard, withheld: WITHHELD, injection }) : screened;
          },
          audit: (entry) => audits.push(entry),
          mode: this.config.BATON_TOOL_MODE,
        },
        { tenantId: event.tenantId, taskId: event.taskId, role: d.role, step: d, callPrefix: event.eventId },
      );
      const offered = toolsForRole(this.permissions, d.role).filter((n) => n !== 'lookup_input' || Object.keys(d.input.data ?? {}).length > 0);
      // A conversation (or several model calls, with fallbacks) may outlast the consumer session timeout: keep the membership alive.
      const beat = setInterval(() => void ctx.heartbeat().catch(() => undefined), 3000);
      let loop: LoopResult;
      let cutOff: BatonEvent[];
      try {
        loop = await runToolLoop(d, buildChatRequest(d, { canary: taskCanary(this.config.BATON_CANARY_SECRET ?? LOCAL_CANARY_SECRET, event.taskId) }), callModel, { specs: ToolRunner.specs(this.tools, offered), run: (c) => runner.run(c) });
        // A dead run that got further than this one (its model answered differently) left calls this run never reached.
        cutOff = (await reservations.beyond()).map((o) => this.spend.estimatedUsage(event, o));
      } finally {
        clearInterval(beat);
      }
      span.setAttributes({ [Attr.modelsTried]: tried.map((t) => t.model), [Attr.toolCalls]: loop.toolCalls });
      for (const t of loop.tools) span.addEvent(SpanEvent.toolCall, { [Attr.toolName]: t.name, [Attr.toolOutcome]: t.outcome });
      const extra: BatonEvent[] = [...cutOff, ...this.spend.budgetEvents(event, lowScopes, refusals, audits), ...audits.map((a, i) => auditEvent(event, `agent:${i}`, a))];
      const toolCalls = loop.toolCalls;
      let result: BatonEvent;
      switch (loop.kind) {
        case 'answer':
          span.setAttribute(Attr.modelUsed, loop.answer.model);
          result = createEvent('output.proposed', causedBy(event, 'agent.output'), {
            ...step,
            role: d.role,
            model: loop.answer.model,
            content: loop.answer.content,
            toolCalls,
            ...(d.outputSchema ? { outputSchema: d.outputSchema } : {}),
          });
          break;
        case 'handoff':
          this.log.log(`task ${event.taskId}: ${d.role} hands ${d.stepId} to ${loop.toRole}`);
          result = createEvent('step.handoff', causedBy(event, 'agent.handoff'), { ...step, fromRole: d.role, toRole: loop.toRole, reason: loop.reason, note: loop.note, toolCalls });
          break;
        case 'limit':
        case 'error': {
          const error: ErrorInfo =
            loop.kind === 'error'
              ? loop.error
              : { kind: 'policy', code: 'max_tool_calls', message: `the model kept calling tools past the step's budget of ${toolCalls} calls` };
          this.log.warn(`task ${event.taskId} attempt ${d.attempt}: ${error.code}: ${error.message}`);
          result = createEvent('step.failed', causedBy(event, 'agent.failed'), { ...step, error, toolCalls });
          break;
        }
      }
      await this.bus.publishAll([...extra, result]);
      recordStep(d.role, loop.kind, startedAt);
    });
  }

  /** Publishes the proposal and waits for this instance's verdict (fail closed on timeout). */
  private async propose(event: StepRequested, proposal: Proposal): Promise<ToolVerdict['data'] | null> {
    const waiting = this.inbox.expect(proposal.callId, this.config.BATON_TOOL_VERDICT_TIMEOUT_MS);
    await this.bus.publish(createEvent('tool.proposed', causedBy(event, `agent.tool:${proposal.callId}`), { ...proposal, replyTo: this.inbox.instanceId }));
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
