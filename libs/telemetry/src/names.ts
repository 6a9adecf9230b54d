/**
 * The registry of telemetry names. Upstream semantic conventions (`messaging.*`,
 * `gen_ai.*`) where one exists; Baton's own under `baton.`. Code uses these constants,
 * never string literals, so a test can check that every span attribute is registered.
 */
export const Attr = {
  // Baton's own
  /** The service that wrote the span (the resource's `service.name`, repeated for backends that drop resources). */
  serviceName: 'baton.service.name',
  taskId: 'baton.task.id',
  tenantId: 'baton.tenant.id',
  eventType: 'baton.event.type',
  eventId: 'baton.event.id',
  stepId: 'baton.step.id',
  stepAttempt: 'baton.step.attempt',
  role: 'baton.agent.role',
  costMicros: 'baton.cost.micros',
  guardVerdict: 'baton.guard.verdict',
  guardReason: 'baton.guard.reason',
  routeModel: 'baton.route.model',
  routeRole: 'baton.route.role',
  routeReason: 'baton.route.reason',
  /** Routing policy applied to the task (`cheapest`, `fastest`, `best-quality`, `cascade`). */
  routePolicy: 'baton.route.policy',
  /** Which rule chose the policy: `task`, `task-type`, `tenant` or `default`. */
  routePolicySource: 'baton.route.policy_source',
  /** Orchestration pattern of the task (`single`, `workflow`, `plan`, `debate`). */
  routePattern: 'baton.route.pattern',
  /** Which rule chose the pattern: `workflow`, `task`, `task-type`, `content-rule`, `classifier` or `default`. */
  routePatternSource: 'baton.route.pattern_source',
  /** Workflow a task runs. */
  workflowName: 'baton.workflow.name',
  /** Model the step asked for, before any fallback. */
  modelRequested: 'baton.model.requested',
  /** Model that produced the answer (the requested one or a fallback). */
  modelUsed: 'baton.model.used',
  /** Models tried for the step, in order, skipped ones included. */
  modelsTried: 'baton.model.tried',
  /** On a fallback event: the model given up on. */
  fallbackFrom: 'baton.fallback.from',
  /** On a fallback event: the model tried next, absent when none is left. */
  fallbackTo: 'baton.fallback.to',
  /** On a fallback event: why (`breaker_open`, `llm_server_error` ...). */
  fallbackReason: 'baton.fallback.reason',
  /** On a breaker event: the model whose breaker changed. */
  breakerModel: 'baton.breaker.model',
  taskOutcome: 'baton.task.outcome',
  /** Escalation a human decision (or a timeout) answers. */
  escalationId: 'baton.escalation.id',
  /** The decision taken: approve, reject, edit or answer. */
  decisionAction: 'baton.decision.action',
  /** Why the planner stopped or escalated a task (a StopReason). */
  stopReason: 'baton.stop.reason',
  /** Tool calls a step attempt made. */
  toolCalls: 'baton.tool.calls',
  /** On a tool-call event: the tool's name. */
  toolName: 'baton.tool.name',
  /** On a tool-call event: `ran`, `recorded` (shadow mode) or `refused`. */
  toolOutcome: 'baton.tool.outcome',
  deadLetterReason: 'baton.dead_letter.reason',
  /** On a model retry event: why the call is tried again (`rate_limited`, `server_error`, `timeout`). */
  llmRetryReason: 'baton.llm.retry.reason',
  // OpenTelemetry messaging conventions
  messagingSystem: 'messaging.system',
  messagingOperationType: 'messaging.operation.type',
  messagingDestination: 'messaging.destination.name',
  messagingConsumerGroup: 'messaging.consumer.group.name',
  messagingMessageId: 'messaging.message.id',
  messagingKafkaKey: 'messaging.kafka.message.key',
  messagingKafkaOffset: 'messaging.kafka.offset',
  messagingPartition: 'messaging.destination.partition.id',
  // OpenTelemetry GenAI conventions
  genAiSystem: 'gen_ai.system',
  genAiOperation: 'gen_ai.operation.name',
  genAiRequestModel: 'gen_ai.request.model',
  genAiResponseModel: 'gen_ai.response.model',
  genAiInputTokens: 'gen_ai.usage.input_tokens',
  genAiOutputTokens: 'gen_ai.usage.output_tokens',
  genAiFinishReasons: 'gen_ai.response.finish_reasons',
  genAiRequestMaxTokens: 'gen_ai.request.max_tokens',
  /** The conversation sent, redacted; only with BATON_TRACE_CONTENT=true. */
  genAiInputMessages: 'gen_ai.input.messages',
  /** The model's answer, redacted; only with BATON_TRACE_CONTENT=true. */
  genAiOutputMessages: 'gen_ai.output.messages',
} as const;
export type AttrName = (typeof Attr)[keyof typeof Attr];

/** Names of span events Baton adds by hand. */
export const SpanEvent = {
  /** The agent gave up on a model for this step and moves to the next candidate. */
  modelFallback: 'baton.model.fallback',
  /** A model's circuit breaker opened after this call failed. */
  breakerOpened: 'baton.breaker.opened',
  /** A model's circuit breaker closed after this call (a probe) succeeded. */
  breakerClosed: 'baton.breaker.closed',
  /** The agent ran, recorded or refused a tool call the model made. */
  toolCall: 'baton.tool.call',
  /** The model client retries a call after a retryable failure. */
  llmRetry: 'baton.llm.retry',
} as const;
export type SpanEventName = (typeof SpanEvent)[keyof typeof SpanEvent];

/** Names of the services as they appear in `service.name`. */
export const ServiceName = {
  gateway: 'baton-gateway',
  guardrails: 'baton-guardrails',
  router: 'baton-router',
  planner: 'baton-planner',
  agent: 'baton-agent',
  costAccountant: 'baton-cost-accountant',
  simulator: 'baton-simulator',
} as const;

/** Resource attributes set at startup (OpenTelemetry service conventions). */
export const ResourceAttr = {
  serviceName: 'service.name',
  serviceVersion: 'service.version',
  /** The Phoenix project the spans land in (OpenInference convention); BATON_TRACE_PROJECT, default `baton`. */
  phoenixProject: 'openinference.project.name',
} as const;

/** The Phoenix project Baton's spans land in unless BATON_TRACE_PROJECT says otherwise. */
export const DEFAULT_TRACE_PROJECT = 'baton';

/** Instrumentation scope of the spans Baton writes by hand (withSpan). */
export const TRACER_NAME = 'baton';
