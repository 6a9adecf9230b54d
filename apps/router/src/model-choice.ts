import type { RoutingDecision, TaskNeeds } from '@baton/contracts';
import { priceMicros, type ModelSpec } from '@baton/llm';

/** What the router knows about the call it is choosing a model for. */
export interface CallProfile {
  /** Declared needs of the task. */
  needs?: TaskNeeds;
  /** A declared output schema needs structured (JSON) output. */
  structuredOutput: boolean;
  /** Estimated prompt size. */
  promptTokens: number;
  /** Expected answer size, for the cost estimate. */
  expectedOutputTokens: number;
}

/** The chosen model (or null when none qualifies) and the recorded decision. */
export interface ModelChoice {
  model: string | null;
  decision: RoutingDecision;
}

function exclusion(model: ModelSpec, call: CallProfile): string | undefined {
  const required = new Set(call.needs?.capabilities ?? []);
  if (call.structuredOutput) required.add('json');
  const missing = [...required].filter((c) => !model.capabilities.includes(c));
  if (missing.length) return `lacks ${missing.join(', ')}`;
  const minContext = Math.max(call.needs?.minContextTokens ?? 0, call.promptTokens + call.expectedOutputTokens);
  if (model.contextWindow < minContext) return `context window ${model.contextWindow} < ${minContext} tokens`;
  return undefined;
}

/**
 * Policy `cheapest`: of the models that meet every declared need, the one with the
 * lowest estimated cost for this call; ties go to the larger context window, then the id.
 */
export function chooseCheapestModel(models: readonly ModelSpec[], call: CallProfile): ModelChoice {
  const candidates = models.map((m) => {
    const excludedBecause = exclusion(m, call);
    return excludedBecause
      ? { model: m.id, eligible: false, excludedBecause }
      : { model: m.id, eligible: true, estimatedCostMicros: priceMicros(m, call.promptTokens, call.expectedOutputTokens) };
  });
  const byId = new Map(models.map((m) => [m.id, m]));
  const eligible = candidates
    .filter((c) => c.eligible)
    .sort(
      (a, b) =>
        (a.estimatedCostMicros ?? 0) - (b.estimatedCostMicros ?? 0) ||
        (byId.get(b.model)?.contextWindow ?? 0) - (byId.get(a.model)?.contextWindow ?? 0) ||
        a.model.localeCompare(b.model),
    );
  const winner = eligible[0];
  if (!winner) {
    return { model: null, decision: { policy: 'cheapest', candidates, reason: 'no model in the catalog meets the task needs' } };
  }
  const runnerUp = eligible[1];
  const reason = runnerUp
    ? `${winner.model} is the cheapest eligible model (~${winner.estimatedCostMicros} µ$ vs ${runnerUp.model} ~${runnerUp.estimatedCostMicros} µ$)`
    : `${winner.model} is the only eligible model`;
  return { model: winner.model, decision: { policy: 'cheapest', candidates, reason } };
}
