import { Metric, MetricAttr, Attr, metricCounter } from '@baton/telemetry';

/** Which check decided. */
export type GuardCheck = 'input' | 'output' | 'tool';

const verdicts = metricCounter(Metric.guardVerdicts);

/**
 * Counts one published guardrail decision, with the verdict its audit entry records: input
 * `admit`/`redact`/`reject`, output `approve`/`redact`/`block`/`escalate`, tool
 * `allow`/`deny`/`approval`.
 */
export function countVerdict(check: GuardCheck, verdict: string): void {
  verdicts.add(1, { [MetricAttr.guardCheck]: check, [Attr.guardVerdict]: verdict });
}
