/**
 * The registry of metric names: every instrument Baton creates is one entry here, with
 * its unit, kind and the only attribute keys it may carry. Upstream semantic conventions
 * (`gen_ai.*`, `messaging.*`) where one exists; Baton's own under `baton.`. Instruments
 * are created only through metric-instruments.ts, which accepts nothing but these entries.
 */
import { Attr } from './names';

/** Attribute keys used only on metrics (span attributes live in Attr). */
export const MetricAttr = {
  /** OpenTelemetry GenAI convention: `input` or `output`. */
  genAiTokenType: 'gen_ai.token.type',
  /** OpenTelemetry convention: the class of error a failed operation ended with. */
  errorType: 'error.type',
  /** OpenTelemetry messaging convention: the operation's name (`process` for a handled message). */
  messagingOperationName: 'messaging.operation.name',
  /** How an agent attempt ended: `answered`, `handed_off` or `failed`. */
  stepOutcome: 'baton.step.outcome',
  /** Which guardrail check decided: `input`, `output` or `tool`. */
  guardCheck: 'baton.guard.check',
} as const;
export type MetricAttrName = (typeof MetricAttr)[keyof typeof MetricAttr];

/** Instrument kinds Baton uses; `observable_gauge` values are read when metrics are collected. */
export type MetricKind = 'counter' | 'histogram' | 'observable_gauge';

/** One registered metric. */
export interface MetricSpec<K extends MetricKind = MetricKind, A extends string = string> {
  /** Name as OpenTelemetry sees it (dotted); Prometheus shows it with underscores (see prometheusName). */
  name: string;
  kind: K;
  /** UCUM unit (`s`, `1`) or an annotation in braces (`{task}`). */
  unit: string;
  description: string;
  /** The only attribute keys recordings may carry. */
  attributes: readonly A[];
  /** Histogram bucket boundaries, in the metric's unit. */
  buckets?: readonly number[];
}

function metric<const K extends MetricKind, const A extends string>(spec: MetricSpec<K, A>): MetricSpec<K, A> {
  return spec;
}

// Task and step latencies span seconds (one model call) to an hour (a human in the loop).
const TASK_SECONDS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600];
const STEP_SECONDS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160, 320];
// The boundaries the GenAI conventions recommend for these two histograms.
const GEN_AI_SECONDS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const GEN_AI_TOKENS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

/**
 * Every metric Baton records. Models are named by their catalog id (config/models.yaml
 * `id`) under `gen_ai.request.model`, the key spend, budgets and breakers use too.
 */
export const Metric = {
  /** Planner (completed, failed, escalated) and guardrails (rejected). */
  tasksSettled: metric({
    name: 'baton.tasks.settled',
    kind: 'counter',
    unit: '{task}',
    description: 'Tasks that reached a settled status, by outcome: completed, failed, rejected, or escalated to a human (a resumed task counts again when it settles next).',
    attributes: [Attr.taskOutcome, Attr.tenantId],
  }),
  taskDuration: metric({
    name: 'baton.task.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time from submission to a settled status, by outcome.',
    attributes: [Attr.taskOutcome, Attr.tenantId],
    buckets: TASK_SECONDS,
  }),
  /** Agent, per attempt of a step. */
  stepDuration: metric({
    name: 'baton.step.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time an agent spent on one attempt of a step (model calls, tool calls, fallbacks), by role and outcome.',
    attributes: [Attr.role, MetricAttr.stepOutcome],
    buckets: STEP_SECONDS,
  }),
  /** Cost accountant, once per usage event it charges. */
  tokenUsage: metric({
    name: 'gen_ai.client.token.usage',
    kind: 'histogram',
    unit: '{token}',
    description: 'Tokens per model call, by token type, model and tenant.',
    attributes: [Attr.genAiOperation, Attr.genAiSystem, Attr.genAiRequestModel, MetricAttr.genAiTokenType, Attr.tenantId],
    buckets: GEN_AI_TOKENS,
  }),
  /** The model client (libs/llm), per call including its retries. */
  operationDuration: metric({
    name: 'gen_ai.client.operation.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Duration of a model call, retries included; error.type is set when it failed.',
    attributes: [Attr.genAiOperation, Attr.genAiSystem, Attr.genAiRequestModel, MetricAttr.errorType],
    buckets: GEN_AI_SECONDS,
  }),
  /** Cost accountant. US dollars, not Baton's internal micro-dollars: what a dashboard shows. */
  llmCost: metric({
    name: 'baton.llm.cost',
    kind: 'counter',
    unit: '{USD}',
    description: 'Spend on model calls in US dollars, by model and tenant.',
    attributes: [Attr.genAiRequestModel, Attr.tenantId],
  }),
  /** Guardrails: input screen, output screen, tool-call decisions. */
  guardVerdicts: metric({
    name: 'baton.guard.verdicts',
    kind: 'counter',
    unit: '{verdict}',
    description: 'Guardrail decisions, by check (input, output, tool) and verdict.',
    attributes: [MetricAttr.guardCheck, Attr.guardVerdict],
  }),
  /** Messaging lib, once the dead-letter record is written. */
  deadLetters: metric({
    name: 'baton.dead_letters',
    kind: 'counter',
    unit: '{message}',
    description: 'Messages moved to a dead-letter topic, by original topic, reason and consumer group.',
    attributes: [Attr.messagingDestination, Attr.deadLetterReason, Attr.messagingConsumerGroup],
  }),
  /** Agent, read from the shared breakers in Redis when metrics are collected. */
  breakerState: metric({
    name: 'baton.breaker.state',
    kind: 'observable_gauge',
    unit: '1',
    description: 'Circuit breaker of each catalog model: 0 closed, 1 half-open, 2 open.',
    attributes: [Attr.genAiRequestModel],
  }),
  /** Messaging lib, from kafkajs batch events. */
  consumerLag: metric({
    name: 'baton.consumer.lag',
    kind: 'observable_gauge',
    unit: '{message}',
    description: 'Messages behind the end of the partition when this consumer finished its last batch, per group, topic and partition.',
    attributes: [Attr.messagingConsumerGroup, Attr.messagingDestination, Attr.messagingPartition],
  }),
  /** Messaging lib, per message handed to the consumer pipeline. */
  consumedMessages: metric({
    name: 'messaging.client.consumed.messages',
    kind: 'counter',
    unit: '{message}',
    description: 'Messages delivered to a consumer, before validation, dedupe and retries.',
    attributes: [Attr.messagingSystem, MetricAttr.messagingOperationName, Attr.messagingDestination, Attr.messagingConsumerGroup, Attr.messagingPartition],
  }),
} as const;

/** A registered metric. */
export type RegisteredMetric = (typeof Metric)[keyof typeof Metric];

/** Values of `baton.breaker.state`. */
export const BreakerStateValue = { closed: 0, half_open: 1, open: 2 } as const;

/** Replaces what Prometheus does not allow in a name or label (dots among them) with `_`, as the Prometheus exporter does. */
export function prometheusLabel(key: string): string {
  return key.replace(/[^a-zA-Z0-9_]/g, '_').replace(/_{2,}/g, '_');
}

/**
 * The name Prometheus shows for a metric: dots become underscores and counters get
 * `_total` (the exporter adds no unit suffix). Histograms also show `_bucket`, `_sum`
 * and `_count` series under this name.
 */
export function prometheusName(m: Pick<MetricSpec, 'name' | 'kind'>): string {
  const base = prometheusLabel(m.name);
  return m.kind === 'counter' && !base.endsWith('_total') ? `${base}_total` : base;
}
