import type { ErrorInfo, RoutingDecision, RoutingPolicy, TaskNeeds } from '@baton/contracts';
import { modelQuality, priceMicros, type ModelSpec } from '@baton/llm';

/** What the router knows about the call it is choosing a model for. */
export interface CallProfile {
  /** Declared needs of the task. */
  needs?: TaskNeeds;
  /** A declared output schema needs structured (JSON) output. */
  structuredOutput: boolean;
  /** The call offers the model a tool (the hand-off tool), which needs `tools`. */
  offersTools?: boolean;
  /** Estimated prompt size. */
  promptTokens: number;
  /** Expected answer size, for the cost estimate. */
  expectedOutputTokens: number;
  /** Models whose circuit breaker is open right now; they cannot take the call. */
  openBreakers?: ReadonlySet<string>;
}

/** The chosen model (or null when none qualifies), what to try after it, and the recorded decision. */
export interface ModelChoice {
  model: string | null;
  /** Next eligible models in policy order, tried in turn when the chosen one fails. */
  fallbackModels: string[];
  /** For the cascade policy: ever better models to move up to when an answer is rejected. */
  cascadeModels: string[];
  decision: RoutingDecision;
}

/** Fallbacks kept per call: each one costs a full model timeout when the provider hangs. */
export const MAX_FALLBACKS = 3;
/** Cap of the contract's `cascadeModels`. */
const MAX_CASCADE = 8;
/** Exclusion reason of a model whose breaker is open; the router tells these apart from unmet needs. */
export const BREAKER_OPEN = 'circuit breaker open';

/** One catalog model measured against the call. */
interface Assessed {
  spec: ModelSpec;
  costMicros: number;
  quality: number;
  excludedBecause?: string;
  /** Whether the cost estimate is worth recording: the model could hold the call at all. */
  fits: boolean;
}

/** Capabilities the call needs: the declared ones, `json` for a declared output schema, `tools` for offered tools. */
export function requiredCapabilities(call: Pick<CallProfile, 'needs' | 'structuredOutput' | 'offersTools'>): string[] {
  const required = new Set(call.needs?.capabilities ?? []);
  if (call.structuredOutput) required.add('json');
  if (call.offersTools) required.add('tools');
  return [...required];
}

const score = (q: number): string => q.toFixed(2);

function assess(spec: ModelSpec, call: CallProfile, required: readonly string[]): Assessed {
  const costMicros = priceMicros(spec, call.promptTokens, call.expectedOutputTokens);
  const quality = modelQuality(spec, required);
  const excluded = (excludedBecause: string, fits = true): Assessed => ({ spec, costMicros, quality, excludedBecause, fits });
  const needs = call.needs ?? {};
  // One reason per model, the permanent ones first: an unmet need outranks a passing outage.
  const missing = required.filter((c) => !spec.capabilities.includes(c));
  if (missing.length) return excluded(`lacks ${missing.join(', ')}`, false);
  const minContext = Math.max(needs.minContextTokens ?? 0, call.promptTokens + call.expectedOutputTokens);
  if (spec.contextWindow < minContext) return excluded(`context window ${spec.contextWindow} < ${minContext} tokens`, false);
  if (needs.minQuality !== undefined && quality < needs.minQuality) {
    return excluded(`quality ${score(quality)} < min ${score(needs.minQuality)} (${required.length ? required.join(', ') : 'chat'})`);
  }
  if (needs.maxLatencyMs !== undefined) {
    if (spec.expectedLatencyMs === undefined) return excluded('expected latency unknown');
    if (spec.expectedLatencyMs > needs.maxLatencyMs) {
      return excluded(`expected latency ${spec.expectedLatencyMs} ms > max ${needs.maxLatencyMs} ms`);
    }
  }
  if (needs.maxCostMicros !== undefined && costMicros > needs.maxCostMicros) {
    return excluded(`estimated cost ~${costMicros} µ$ > max ${needs.maxCostMicros} µ$`);
  }
  if (call.openBreakers?.has(spec.id)) return excluded(BREAKER_OPEN);
  return { spec, costMicros, quality, fits: true };
}

type Order = (a: Assessed, b: Assessed) => number;

const byCost: Order = (a, b) => a.costMicros - b.costMicros;
const byId: Order = (a, b) => a.spec.id.localeCompare(b.spec.id);
// Unknown latency sorts last: a model nobody measured is not the fastest.
const latencyOf = (a: Assessed): number => a.spec.expectedLatencyMs ?? Number.POSITIVE_INFINITY;

/** Policy order of the eligible models; ties end on the id so the order never depends on the catalog's. */
const ORDERS: Readonly<Record<RoutingPolicy, Order>> = {
  // Ties: the larger context window leaves more room should the estimate be short.
  cheapest: (a, b) => byCost(a, b) || b.spec.contextWindow - a.spec.contextWindow || byId(a, b),
  fastest: (a, b) => latencyOf(a) - latencyOf(b) || byCost(a, b) || byId(a, b),
  'best-quality': (a, b) => b.quality - a.quality || byCost(a, b) || byId(a, b),
  cascade: (a, b) => byCost(a, b) || b.spec.contextWindow - a.spec.contextWindow || byId(a, b),
};

const latencyText = (a: Assessed): string => (a.spec.expectedLatencyMs === undefined ? 'unknown latency' : `~${a.spec.expectedLatencyMs} ms`);

function winnerReason(policy: RoutingPolicy, ordered: readonly Assessed[], cascade: readonly string[], call: CallProfile, required: readonly string[]): string {
  const [winner, runnerUp] = ordered;
  const id = winner.spec.id;
  if (policy === 'cascade') {
    const next = cascade.length ? `moving up to ${cascade.join(', ')} when an answer is rejected` : 'with no better eligible model to move up to';
    return `${id} is the cheapest eligible model (~${winner.costMicros} µ$) to start the cascade, ${next}`;
  }
  if (!runnerUp) return `${id} is the only eligible model`;
  switch (policy) {
    case 'cheapest':
      return `${id} is the cheapest eligible model (~${winner.costMicros} µ$ vs ${runnerUp.spec.id} ~${runnerUp.costMicros} µ$)`;
    case 'fastest':
      return `${id} is the fastest eligible model (${latencyText(winner)} vs ${runnerUp.spec.id} ${latencyText(runnerUp)})`;
    case 'best-quality': {
      const cap = call.needs?.maxCostMicros === undefined ? '' : ` within ${call.needs.maxCostMicros} µ$`;
      const what = required.length ? required.join(', ') : 'chat';
      return `${id} has the best quality for ${what} among the eligible models${cap} (${score(winner.quality)} vs ${runnerUp.spec.id} ${score(runnerUp.quality)})`;
    }
  }
}

/** The cascade ladder above the winner: in increasing cost, each model strictly better than the last one kept. */
function cascadeLadder(eligible: readonly Assessed[], winner: Assessed): string[] {
  const ladder: string[] = [];
  let best = winner.quality;
  for (const a of [...eligible].sort(ORDERS.cascade)) {
    if (a === winner || a.quality <= best) continue;
    ladder.push(a.spec.id);
    best = a.quality;
    if (ladder.length === MAX_CASCADE) break;
  }
  return ladder;
}

/**
 * Chooses a model for one call under `policy`. Eligible models meet every declared need
 * (capabilities, `json` for an output schema, context window, minimum quality, latency and
 * cost caps) and have no open breaker. Among them: `cheapest` takes the lowest estimated
 * cost; `fastest` the lowest expected latency; `best-quality` the highest quality for the
 * needed capabilities (the cost cap already applied); `cascade` starts with the cheapest
 * and lists strictly better models to move up to. Fallbacks are the next eligible models
 * in the same order. The decision records every catalog model, in catalog order.
 */
export function chooseModel(models: readonly ModelSpec[], call: CallProfile, policy: RoutingPolicy = 'cheapest'): ModelChoice {
  const required = requiredCapabilities(call);
  const assessed = models.map((m) => assess(m, call, required));
  const candidates = assessed.map((a) =>
    a.excludedBecause === undefined
      ? { model: a.spec.id, eligible: true, estimatedCostMicros: a.costMicros }
      : { model: a.spec.id, eligible: false, excludedBecause: a.excludedBecause, ...(a.fits ? { estimatedCostMicros: a.costMicros } : {}) },
  );
  const eligible = assessed.filter((a) => a.excludedBecause === undefined);
  const ordered = [...eligible].sort(ORDERS[policy]);
  const winner = ordered[0];
  if (!winner) {
    const open = assessed.filter((a) => a.excludedBecause === BREAKER_OPEN).map((a) => a.spec.id);
    const reason = open.length
      ? `no model meets the task needs with its circuit breaker closed (open: ${open.join(', ')})`
      : 'no model in the catalog meets the task needs';
    return { model: null, fallbackModels: [], cascadeModels: [], decision: { policy, candidates, reason } };
  }
  const cascadeModels = policy === 'cascade' ? cascadeLadder(eligible, winner) : [];
  return {
    model: winner.spec.id,
    fallbackModels: ordered.slice(1, 1 + MAX_FALLBACKS).map((a) => a.spec.id),
    cascadeModels,
    decision: { policy, candidates, reason: winnerReason(policy, ordered, cascadeModels, call, required) },
  };
}

/** Whether a failed choice would have found a model had no breaker been open: an outage, not the submitter's fault. */
export function blockedByBreakers(decision: RoutingDecision): boolean {
  return decision.candidates.some((c) => c.excludedBecause === BREAKER_OPEN);
}

/**
 * The error of a call no model can serve: the submitter's fault when its needs rule out
 * every model, a system fault when only open breakers stand in the way.
 */
export function noModelError(decision: RoutingDecision, message: string): ErrorInfo {
  return { kind: blockedByBreakers(decision) ? 'system' : 'user', code: 'no_eligible_model', message };
}
