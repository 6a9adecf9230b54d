import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BUDGET_POLICY, promptTokenBound, type BudgetLevel, type BudgetPolicy } from '@baton/budget';
import { Topics, causedBy, createEvent, stepRequestedTopic, type BatonEvent, type ErrorInfo, type StepRequested, type ToolVerdict } from '@baton/contracts';
import { LOCAL_CANARY_SECRET, PII_VAULT, taskCanary, toolsForRole, type PermissionPolicy, type PiiVault } from '@baton/guard';
import type { ChatRequest, ChatResult, LlmClient, ModelCatalog } from '@baton/llm';
import type { HandlerContext, MessageBus } from '@baton/messaging';
import { BUS, Readiness, STATE_STORE, auditEvent, startConsumer, type AuditEntry } from '@baton/service-kit';
import { CallReservations, cutOffUsage, type ModelBreakers, type OrphanReservation, type StateStore } from '@baton/state';
import { Attr, SpanEvent, withSpan, type Span } from '@baton/telemetry';
import type { ToolRegistry } from '@baton/tools';
import { recordStep, reportBreakerStates } from './agent-metrics';
import { AGENT_CONFIG, LLM_CLIENT, MODEL_CATALOG, PERMISSION_POLICY, TOOL_REGISTRY, agentRoles, type AgentConfig } from './config';
import { WITHHELD, restoreArgs, screenToolResult } from './content-guard';
import { classifyResult } from './guard-classifier';
import { callWithFallbacks, candidateModels, type FallbackObserver, type ModelAttempt } from './model-fallback';
import { buildChatRequest } from './prompt-builder';
import { BudgetRefusedError, RateLimitedError, rateScopes, reservationFor } from './spend-gate';
import { runToolLoop, type CallModel, type LoopResult } from './tool-loop';
import { runLeased } from './step-lease';
import { ToolRunner, type Proposal } from './tool-runner';
import { requestFor } from './tools';
import { VerdictInbox } from './verdict-inbox';

/** A budget scope an attempt pushed under its low-water mark, for `budget.low`. */
type LowScope = { level: BudgetLevel; limitMicros: number; remainingMicros: number };

/** A step's lease outlives this many ms without renewal: a dead replica's step is taken over after it. */
const STEP_LEASE_TTL_MS = 15_000;
/** How often a replica handed a step another one is running looks whether it finished. */
const STEP_LEASE_POLL_MS = 1_000;
/** Longest an agent waits for per-minute capacity before trying another model. */
const MAX_RATE_WAIT_MS = 10_000;

/**
 * Wiring only: runs one attempt of a step as a conversation with its model (tool-loop.ts),
 * falling back to the step's other models when a provider fails, a breaker is open, a
 * budget cannot cover the call or a rate limit is spent (model-fallback.ts). Before each
 * model call the worst-case cost is reserved against the task's, tenant's and global
 * budgets; the usage event carries the reservation for the cost accountant to settle.
 * Every tool call goes to the guardrails first (tool-runner.ts, verdicts in this
 * instance's inbox). Publishes each model call's usage as soon as the call returns, then the
 * audit entries and the proposed output, the hand-off, or why the attempt failed. Only a Kafka or Redis failure
 * is thrown, so the bus retries.
 */
@Injectable()
export class AgentConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('agent');
  private readonly breakers: ModelBreakers;
  private readonly inbox = new VerdictInbox(`${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`);
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
    private readonly readiness: Readiness,
  ) {
    this.breakers = state.breakers.withPolicy({ failureThreshold: config.BATON_BREAKER_FAILURES, openMs: config.BATON_BREAKER_OPEN_MS });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.stopBreakerGauge = reportBreakerStates(
      this.catalog.list().map((m) => m.id),
      (models) => this.breakers.states(models),
    );
    // Verdicts first: a step may propose a tool call as soon as it is consumed.
    await startConsumer(this.bus, this.readiness, {
      groupId: `agent-verdicts-${this.inbox.instanceId}`,
      topics: [Topics.toolVerdict],
      fromBeginning: false,
      // Stopped after the step consumers have drained on shutdown: a step in the middle of a
      // tool call still gets its verdict instead of a refusal after the verdict timeout.
      shutdownPhase: 1,
      handlers: { 'tool.verdict': async (e) => void this.inbox.deliver(e.data) },
    });
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

  onApplicationShutdown(): void {
    // Before Redis closes: a last metrics export must not try to read the breakers.
    this.stopBreakerGauge?.();
  }

  /** One attempt of a step, run by one replica only even when its message reaches two (step-lease.ts). */
  private async onStep(event: StepRequested, ctx: HandlerContext): Promise<void> {
    const outcome = await runLeased(
      this.state.leases,
      { taskId: event.taskId, workId: event.eventId, owner: this.inbox.instanceId },
      {
        ttlMs: STEP_LEASE_TTL_MS,
        pollMs: STEP_LEASE_POLL_MS,
        heartbeat: () => ctx.heartbeat(),
        onLost: () => this.log.warn(`task ${event.taskId}: lost the lease on ${event.data.stepId} attempt ${event.data.attempt} while running it`),
      },
      () => this.runStep(event, ctx),
    );
    if (outcome === 'skipped') this.log.log(`task ${event.taskId}: ${event.data.stepId} attempt ${event.data.attempt} was already run by another replica`);
  }

  private runStep(event: StepRequested, ctx: HandlerContext): Promise<void> {
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
        await this.takeRate(event.tenantId, model, req, spec.rateLimits);
        const reservation = await this.reserve(event, model, req, reservations, lowScopes, refusals);
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
        cutOff = (await reservations.beyond()).map((o) => this.estimatedUsage(event, o));
      } finally {
        clearInterval(beat);
      }
      span.setAttributes({ [Attr.modelsTried]: tried.map((t) => t.model), [Attr.toolCalls]: loop.toolCalls });
      for (const t of loop.tools) span.addEvent(SpanEvent.toolCall, { [Attr.toolName]: t.name, [Attr.toolOutcome]: t.outcome });
      const extra: BatonEvent[] = [...cutOff, ...this.budgetEvents(event, lowScopes, refusals, audits), ...audits.map((a, i) => auditEvent(event, `agent:${i}`, a))];
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

  /** Waits (briefly) for per-minute capacity of the tenant and the model; throws RateLimitedError when it does not come. */
  private async takeRate(tenantId: string, model: string, req: ChatRequest, modelLimits: { requestsPerMinute?: number; tokensPerMinute?: number } | undefined): Promise<void> {
    // Like providers' own limiters, requested completion tokens count in full.
    const tokens = Math.ceil(promptTokenBound(req) / 4) + (req.maxTokens ?? 0);
    const { scopes, costs } = rateScopes(this.budgets, { tenantId, model, tokens, ...(modelLimits ? { modelLimits } : {}) });
    if (!scopes.length) return;
    const opId = randomUUID();
    const started = Date.now();
    for (;;) {
      const taken = await this.state.rates.take({ scopes, costs, opId });
      if (taken.ok) return;
      const waited = Date.now() - started;
      if (waited + taken.retryAfterMs > MAX_RATE_WAIT_MS) throw new RateLimitedError(taken.scope, taken.retryAfterMs);
      await new Promise((r) => setTimeout(r, Math.max(10, taken.retryAfterMs)));
    }
  }

  /**
   * Reserves the call's worst case on every budget at once; throws BudgetRefusedError when one
   * cannot cover it. The id is this call's next free generation; a reservation of the same
   * call that a dead run of this attempt left held is charged first (call-reservations.ts).
   */
  private async reserve(
    event: StepRequested,
    model: string,
    req: ChatRequest,
    reservations: CallReservations,
    low: Map<string, LowScope>,
    refusals: BudgetRefusedError[],
  ): Promise<{ id: string; scopes: string[]; amountMicros: number }> {
    const d = event.data;
    const { scopes, amountMicros } = reservationFor(this.budgets, {
      taskId: event.taskId,
      tenantId: event.tenantId,
      ...(d.maxCostMicros !== undefined ? { taskMaxMicros: d.maxCostMicros } : {}),
      model: this.catalog.get(model),
      request: req,
      at: new Date(),
    });
    const slot = await reservations.next();
    // Published before this call reserves: settling frees the dead run's hold on the budgets.
    if (slot.orphans.length) await this.bus.publishAll(slot.orphans.map((o) => this.estimatedUsage(event, o)));
    const id = slot.reservationId;
    const r = await this.state.budgets.reserve({
      reservationId: id,
      taskId: event.taskId,
      tenantId: event.tenantId,
      model,
      amountMicros,
      scopes,
      ttlMs: this.budgets.reservationTtlSeconds * 1000,
      lowWatermark: this.budgets.lowWatermark,
    });
    // The probe found no record under this id and only this run uses it (the step lease): a
    // refusal of that kind would be a defect, and the bus retries it.
    if (!r.ok && r.reason === 'closed') throw new Error(`reservation ${id} was closed before it was made`);
    if (!r.ok) {
      const scope = scopes.find((s) => s.id === r.scope);
      const refusal = new BudgetRefusedError({
        scope: r.scope,
        level: scope?.level ?? 'task',
        limitMicros: r.limitMicros,
        spentMicros: r.spentMicros,
        reservedMicros: r.reservedMicros,
        requestedMicros: amountMicros,
        model,
      });
      refusals.push(refusal);
      throw refusal;
    }
    for (const crossed of r.crossedLow) {
      const scope = scopes.find((s) => s.id === crossed);
      if (scope) low.set(crossed, { level: scope.level, limitMicros: scope.limitMicros, remainingMicros: r.remainingMicros[crossed] ?? 0 });
    }
    return { id, scopes: scopes.map((s) => s.id), amountMicros };
  }

  /** The usage of a call a dead run of this attempt was in; its own id, so a late real usage and this one charge the reservation once. */
  private estimatedUsage(event: StepRequested, orphan: OrphanReservation): BatonEvent {
    const { stepId, attempt, model } = event.data;
    this.log.warn(`task ${event.taskId}: charging call ${orphan.id} of ${stepId} attempt ${attempt} at its worst case: a run that died was in it`);
    return createEvent('llm.usage', causedBy(event, `agent.usage.estimated:${orphan.id}`), cutOffUsage(orphan, { stepId, attempt, model }, (m) => this.providerOf(m)));
  }

  private providerOf(model: string): string {
    return this.catalog.has(model) ? this.catalog.get(model).provider : 'unknown';
  }

  /** `budget.low` for every scope this attempt pushed under its low-water mark, `budget.exhausted` for each refusal, with their audit entries. */
  private budgetEvents(
    event: StepRequested,
    low: Map<string, LowScope>,
    refusals: BudgetRefusedError[],
    audits: AuditEntry[],
  ): BatonEvent[] {
    const out: BatonEvent[] = [];
    for (const [scope, l] of low) {
      out.push(createEvent('budget.low', causedBy(event, `agent.budget.low:${scope}`), { scope, ...l }));
      audits.push({ category: 'budget', actor: `agent:${event.data.role}`, decision: 'low', reason: `${scope} has ${l.remainingMicros} of ${l.limitMicros} µ$ left`, subject: scope });
    }
    refusals.forEach((r, i) => {
      const { scope, level, limitMicros, spentMicros, reservedMicros, requestedMicros, model } = r.refusal;
      out.push(createEvent('budget.exhausted', causedBy(event, `agent.budget.exhausted:${i}`), { stepId: event.data.stepId, attempt: event.data.attempt, scope, level, limitMicros, spentMicros, reservedMicros, requestedMicros, model }));
      audits.push({ category: 'budget', actor: `agent:${event.data.role}`, decision: 'reserve_refused', reason: r.message, subject: scope, details: { model, requestedMicros } });
    });
    return out;
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

