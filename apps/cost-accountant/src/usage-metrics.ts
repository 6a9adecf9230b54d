import type { LlmUsage } from '@baton/contracts';
import { Attr, Metric, MetricAttr, metricCounter, metricHistogram } from '@baton/telemetry';

const tokens = metricHistogram(Metric.tokenUsage);
const cost = metricCounter(Metric.llmCost);

/**
 * Records one charged model call: its input and output tokens and its cost in US dollars,
 * by model (catalog id) and tenant. Called once per usage event actually charged, so a
 * redelivered event is not counted twice.
 */
export function recordUsage(tenantId: string, usage: Pick<LlmUsage['data'], 'model' | 'provider' | 'promptTokens' | 'completionTokens'>, costMicros: number): void {
  const call = { [Attr.genAiOperation]: 'chat', [Attr.genAiSystem]: usage.provider, [Attr.genAiRequestModel]: usage.model, [Attr.tenantId]: tenantId };
  tokens.record(usage.promptTokens, { ...call, [MetricAttr.genAiTokenType]: 'input' });
  tokens.record(usage.completionTokens, { ...call, [MetricAttr.genAiTokenType]: 'output' });
  cost.add(costMicros / 1_000_000, { [Attr.genAiRequestModel]: usage.model, [Attr.tenantId]: tenantId });
}
