import type { AgentRole } from '@baton/contracts';
import type { BreakerState } from '@baton/state';
import { Attr, BreakerStateValue, Metric, MetricAttr, metricHistogram, observeMetric } from '@baton/telemetry';
import type { LoopResult } from './tool-loop';

/** How an attempt ended, as `baton.step.duration` labels it. */
export type StepOutcome = 'answered' | 'handed_off' | 'failed';

const stepDuration = metricHistogram(Metric.stepDuration);

/** The outcome of a finished attempt: a limit or an error both fail it. */
export function stepOutcome(kind: LoopResult['kind']): StepOutcome {
  if (kind === 'answer') return 'answered';
  if (kind === 'handoff') return 'handed_off';
  return 'failed';
}

/** Records the duration of one attempt whose result was published; `startedAt` from performance.now(). */
export function recordStep(role: AgentRole, kind: LoopResult['kind'], startedAt: number, now: number = performance.now()): void {
  stepDuration.record(Math.max(0, now - startedAt) / 1000, { [Attr.role]: role, [MetricAttr.stepOutcome]: stepOutcome(kind) });
}

/**
 * Reports the breaker of each model as `baton.breaker.state`, read from Redis at every
 * collection: breakers are shared by every replica and turn half-open on their own as time
 * passes, so no event here would see every change. A failed read leaves the gauge out of
 * that collection. Returns a function that stops reporting.
 */
export function reportBreakerStates(models: readonly string[], read: (models: readonly string[]) => Promise<Record<string, BreakerState>>): () => void {
  return observeMetric(Metric.breakerState, async (observe) => {
    if (models.length === 0) return;
    for (const [model, state] of Object.entries(await read(models))) observe(BreakerStateValue[state], { [Attr.genAiRequestModel]: model });
  });
}
