import { RoutingDecision } from '@baton/contracts';
import { priceMicros, type ModelSpec } from '@baton/llm';
import { BREAKER_OPEN, MAX_FALLBACKS, blockedByBreakers, chooseModel, noModelError, requiredCapabilities, type CallProfile, type ModelChoice } from './model-choice';

/** A catalog entry with chat-only defaults; prices in USD per million tokens. */
function model(id: string, over: Partial<ModelSpec> = {}): ModelSpec {
  return {
    id,
    provider: 'simulator',
    providerModel: id,
    inputPricePerMTokens: 1,
    outputPricePerMTokens: 2,
    contextWindow: 32_000,
    maxOutputTokens: 4_000,
    capabilities: ['chat'],
    ...over,
  };
}

const mini = model('mini', { inputPricePerMTokens: 0.15, outputPricePerMTokens: 0.6, capabilities: ['chat', 'json'] });
const standard = model('standard', { inputPricePerMTokens: 0.4, outputPricePerMTokens: 1.6, contextWindow: 64_000, capabilities: ['chat', 'json', 'tools'] });
const large = model('large', { inputPricePerMTokens: 2.5, outputPricePerMTokens: 10, contextWindow: 128_000, capabilities: ['chat', 'json', 'tools', 'long-context'] });
const chatOnly = model('chat-only', { inputPricePerMTokens: 0.01, outputPricePerMTokens: 0.01 });

const call = (over: Partial<CallProfile> = {}): CallProfile => ({ structuredOutput: false, promptTokens: 1000, expectedOutputTokens: 500, ...over });

function candidate(choice: ModelChoice, id: string) {
  const c = choice.decision.candidates.find((x) => x.model === id);
  if (!c) throw new Error(`no candidate ${id}`);
  return c;
}

const chooseCheapestModel = (models: readonly ModelSpec[], c: CallProfile): ModelChoice => chooseModel(models, c, 'cheapest');

describe('chooseModel, policy cheapest', () => {
  it('picks the cheapest model for the call and records every candidate in catalog order', () => {
    const choice = chooseCheapestModel([large, standard, mini], call());
    expect(choice.model).toBe('mini');
    expect(choice.decision.policy).toBe('cheapest');
    expect(choice.decision.candidates).toEqual([
      { model: 'large', eligible: true, estimatedCostMicros: priceMicros(large, 1000, 500) },
      { model: 'standard', eligible: true, estimatedCostMicros: priceMicros(standard, 1000, 500) },
      { model: 'mini', eligible: true, estimatedCostMicros: priceMicros(mini, 1000, 500) },
    ]);
    // 1000 * 0.15 + 500 * 0.6 = 450 µ$; 1000 * 0.4 + 500 * 1.6 = 1200 µ$.
    expect(choice.decision.reason).toBe('mini is the cheapest eligible model (~450 µ$ vs standard ~1200 µ$)');
    expect(RoutingDecision.safeParse(choice.decision).success).toBe(true);
  });

  it('excludes models that lack a declared capability', () => {
    const choice = chooseCheapestModel([mini, standard, large], call({ needs: { capabilities: ['tools'] } }));
    expect(choice.model).toBe('standard');
    expect(candidate(choice, 'mini')).toEqual({ model: 'mini', eligible: false, excludedBecause: 'lacks tools' });
  });

  it('requires json for structured output even when the needs do not say so', () => {
    const choice = chooseCheapestModel([chatOnly, mini], call({ structuredOutput: true }));
    expect(choice.model).toBe('mini');
    expect(candidate(choice, 'chat-only')).toEqual({ model: 'chat-only', eligible: false, excludedBecause: 'lacks json' });

    // The same catalog without a schema: the chat-only model is cheaper and wins.
    expect(chooseCheapestModel([chatOnly, mini], call()).model).toBe('chat-only');
  });

  it('lists every missing capability once', () => {
    const choice = chooseCheapestModel([chatOnly], call({ structuredOutput: true, needs: { capabilities: ['tools', 'json', 'tools'] } }));
    expect(candidate(choice, 'chat-only').excludedBecause).toBe('lacks tools, json');
  });

  it('excludes models whose context window cannot hold the prompt plus the expected answer', () => {
    const choice = chooseCheapestModel([mini, standard], call({ promptTokens: 40_000, expectedOutputTokens: 1_000 }));
    expect(choice.model).toBe('standard');
    expect(candidate(choice, 'mini').excludedBecause).toBe('context window 32000 < 41000 tokens');
  });

  it('excludes models below the declared minimum context even for a small call', () => {
    const choice = chooseCheapestModel([mini, standard, large], call({ needs: { minContextTokens: 100_000 } }));
    expect(choice.model).toBe('large');
    expect(candidate(choice, 'standard').excludedBecause).toBe('context window 64000 < 100000 tokens');
  });

  it('accepts a context window exactly as large as needed', () => {
    const choice = chooseCheapestModel([mini], call({ promptTokens: 31_000, expectedOutputTokens: 1_000 }));
    expect(choice.model).toBe('mini');
  });

  it('gives one reason per excluded model, capabilities before context', () => {
    const choice = chooseCheapestModel([chatOnly], call({ structuredOutput: true, promptTokens: 1_000_000 }));
    expect(candidate(choice, 'chat-only').excludedBecause).toBe('lacks json');
  });

  it('breaks a cost tie by the larger context window', () => {
    const small = model('a-small', { contextWindow: 16_000 });
    const big = model('z-big', { contextWindow: 64_000 });
    const choice = chooseCheapestModel([small, big], call());
    expect(candidate(choice, 'a-small').estimatedCostMicros).toBe(candidate(choice, 'z-big').estimatedCostMicros);
    expect(choice.model).toBe('z-big');
  });

  it('breaks a tie of cost and window by id', () => {
    const choice = chooseCheapestModel([model('beta'), model('alpha')], call());
    expect(choice.model).toBe('alpha');
    expect(chooseCheapestModel([model('alpha'), model('beta')], call()).model).toBe('alpha');
  });

  it('says when the winner was the only eligible model', () => {
    const choice = chooseCheapestModel([chatOnly, mini], call({ structuredOutput: true }));
    expect(choice.decision.reason).toBe('mini is the only eligible model');
  });

  it('answers model null with the reasons when no model qualifies', () => {
    const choice = chooseCheapestModel([chatOnly, mini], call({ needs: { capabilities: ['reasoning'] } }));
    expect(choice).toEqual({
      model: null,
      fallbackModels: [],
      cascadeModels: [],
      decision: {
        policy: 'cheapest',
        candidates: [
          { model: 'chat-only', eligible: false, excludedBecause: 'lacks reasoning' },
          { model: 'mini', eligible: false, excludedBecause: 'lacks reasoning' },
        ],
        reason: 'no model in the catalog meets the task needs',
      },
    });
    expect(RoutingDecision.safeParse(choice.decision).success).toBe(true);
  });

  it('answers model null for an empty catalog', () => {
    expect(chooseCheapestModel([], call()).model).toBeNull();
  });
});

// A catalog shaped like config/models.yaml: each pricier model better and slower.
const rated = {
  mini: model('mini', { inputPricePerMTokens: 0.15, outputPricePerMTokens: 0.6, capabilities: ['chat', 'json'], quality: { chat: 0.6, json: 0.55 }, expectedLatencyMs: 700 }),
  standard: model('standard', {
    inputPricePerMTokens: 0.4,
    outputPricePerMTokens: 1.6,
    contextWindow: 64_000,
    capabilities: ['chat', 'json', 'tools'],
    quality: { chat: 0.74, json: 0.72, tools: 0.7 },
    expectedLatencyMs: 1100,
  }),
  large: model('large', {
    inputPricePerMTokens: 2.5,
    outputPricePerMTokens: 10,
    contextWindow: 128_000,
    capabilities: ['chat', 'json', 'tools'],
    quality: { chat: 0.86, json: 0.84, tools: 0.83 },
    expectedLatencyMs: 2400,
  }),
  reasoner: model('reasoner', {
    inputPricePerMTokens: 15,
    outputPricePerMTokens: 60,
    contextWindow: 200_000,
    capabilities: ['chat', 'json', 'tools', 'reasoning'],
    quality: { chat: 0.92, json: 0.9, tools: 0.88, reasoning: 0.94 },
    expectedLatencyMs: 12_000,
  }),
};
const catalog = [rated.reasoner, rated.large, rated.standard, rated.mini];
// Costs of call(): mini 450, standard 1200, large 7500, reasoner 45000 µ$.

describe('chooseModel, every policy', () => {
  it.each(['cheapest', 'fastest', 'best-quality', 'cascade'] as const)('%s: records a decision the contract accepts, every model in catalog order', (policy) => {
    const choice = chooseModel(catalog, call({ needs: { maxCostMicros: 10_000 } }), policy);
    expect(RoutingDecision.safeParse(choice.decision).success).toBe(true);
    expect(choice.decision.policy).toBe(policy);
    expect(choice.decision.candidates.map((c) => c.model)).toEqual(['reasoner', 'large', 'standard', 'mini']);
    expect(choice.fallbackModels).not.toContain(choice.model);
  });

  it('uses cheapest when no policy is given', () => {
    expect(chooseModel(catalog, call()).decision.policy).toBe('cheapest');
    expect(chooseModel(catalog, call()).model).toBe('mini');
  });
});

describe('chooseModel, fallbacks', () => {
  it('lists the next eligible models in policy order', () => {
    expect(chooseModel(catalog, call(), 'cheapest').fallbackModels).toEqual(['standard', 'large', 'reasoner']);
    expect(chooseModel(catalog, call(), 'best-quality').fallbackModels).toEqual(['large', 'standard', 'mini']);
  });

  it(`keeps at most ${MAX_FALLBACKS}`, () => {
    const extra = model('extra', { inputPricePerMTokens: 100, outputPricePerMTokens: 100, quality: { chat: 0.1 } });
    const choice = chooseModel([...catalog, extra], call(), 'cheapest');
    expect(choice.fallbackModels).toEqual(['standard', 'large', 'reasoner']);
  });

  it('leaves out excluded models', () => {
    const choice = chooseModel(catalog, call({ needs: { capabilities: ['tools'] } }), 'cheapest');
    expect(choice.model).toBe('standard');
    expect(choice.fallbackModels).toEqual(['large', 'reasoner']);
  });

  it('is empty when the winner is the only eligible model', () => {
    expect(chooseModel(catalog, call({ needs: { capabilities: ['reasoning'] } })).fallbackModels).toEqual([]);
  });
});

describe('chooseModel, policy fastest', () => {
  const flash = model('flash', { inputPricePerMTokens: 1, outputPricePerMTokens: 4, capabilities: ['chat', 'json'], quality: { chat: 0.7, json: 0.7 }, expectedLatencyMs: 300 });

  it('picks the lowest expected latency even when it costs more', () => {
    const choice = chooseModel([...catalog, flash], call(), 'fastest');
    expect(choice.model).toBe('flash');
    expect(choice.fallbackModels).toEqual(['mini', 'standard', 'large']);
    expect(choice.decision.reason).toBe('flash is the fastest eligible model (~300 ms vs mini ~700 ms)');
  });

  it('ranks models without a latency last and breaks latency ties by cost', () => {
    const unmeasured = model('unmeasured', { inputPricePerMTokens: 0.01, outputPricePerMTokens: 0.01 });
    const twin = model('twin', { ...flash, id: 'twin', inputPricePerMTokens: 0.5 });
    const choice = chooseModel([unmeasured, flash, twin], call(), 'fastest');
    expect(choice.model).toBe('twin');
    expect(choice.fallbackModels).toEqual(['flash', 'unmeasured']);
  });
});

describe('chooseModel, policy best-quality', () => {
  it('picks the highest quality', () => {
    const choice = chooseModel(catalog, call(), 'best-quality');
    expect(choice.model).toBe('reasoner');
    expect(choice.decision.reason).toBe('reasoner has the best quality for chat among the eligible models (0.92 vs large 0.86)');
  });

  it('stays within the cost cap, recording the cost of the models it rules out', () => {
    const choice = chooseModel(catalog, call({ needs: { maxCostMicros: 8_000 } }), 'best-quality');
    expect(choice.model).toBe('large');
    expect(candidate(choice, 'reasoner')).toEqual({
      model: 'reasoner',
      eligible: false,
      excludedBecause: 'estimated cost ~45000 µ$ > max 8000 µ$',
      estimatedCostMicros: 45_000,
    });
    expect(choice.decision.reason).toBe('large has the best quality for chat among the eligible models within 8000 µ$ (0.86 vs standard 0.74)');
  });

  it('judges quality on the capabilities the call needs, its weakest one deciding', () => {
    const chatty = model('chatty', { capabilities: ['chat', 'json'], quality: { chat: 0.95, json: 0.5 } });
    const solid = model('solid', { capabilities: ['chat', 'json'], quality: { chat: 0.8, json: 0.8 } });
    expect(chooseModel([chatty, solid], call(), 'best-quality').model).toBe('chatty');
    const structured = chooseModel([chatty, solid], call({ structuredOutput: true }), 'best-quality');
    expect(structured.model).toBe('solid');
    expect(structured.decision.reason).toBe('solid has the best quality for json among the eligible models (0.80 vs chatty 0.50)');
  });

  it('ranks an unrated model last and breaks quality ties by cost', () => {
    const unrated = model('unrated', { inputPricePerMTokens: 0.01, outputPricePerMTokens: 0.01 });
    const dearTwin = model('dear-twin', { ...rated.large, id: 'dear-twin', inputPricePerMTokens: 3 });
    const choice = chooseModel([unrated, dearTwin, rated.large], call(), 'best-quality');
    expect(choice.model).toBe('large');
    expect(choice.fallbackModels).toEqual(['dear-twin', 'unrated']);
  });
});

describe('chooseModel, policy cascade', () => {
  it('starts with the cheapest and moves up through ever better models', () => {
    const choice = chooseModel(catalog, call(), 'cascade');
    expect(choice.model).toBe('mini');
    expect(choice.cascadeModels).toEqual(['standard', 'large', 'reasoner']);
    expect(choice.fallbackModels).toEqual(['standard', 'large', 'reasoner']);
    expect(choice.decision.reason).toBe(
      'mini is the cheapest eligible model (~450 µ$) to start the cascade, moving up to standard, large, reasoner when an answer is rejected',
    );
  });

  it('skips a pricier model that is no better than the last step of the ladder', () => {
    // Costs more than large but answers worse: moving up to it would be a step down.
    const pricey = model('pricey', { inputPricePerMTokens: 5, outputPricePerMTokens: 20, quality: { chat: 0.8 } });
    const sameAsLarge = model('same-as-large', { inputPricePerMTokens: 6, outputPricePerMTokens: 20, quality: { chat: 0.86 } });
    const choice = chooseModel([...catalog, pricey, sameAsLarge], call(), 'cascade');
    expect(choice.cascadeModels).toEqual(['standard', 'large', 'reasoner']);
    // Fallbacks are about availability, not quality: the next ones by cost.
    expect(choice.fallbackModels).toEqual(['standard', 'large', 'pricey']);
  });

  it('has no ladder when nothing better is eligible', () => {
    const choice = chooseModel(catalog, call({ needs: { maxCostMicros: 500 } }), 'cascade');
    expect(choice.model).toBe('mini');
    expect(choice.cascadeModels).toEqual([]);
    expect(choice.decision.reason).toBe('mini is the cheapest eligible model (~450 µ$) to start the cascade, with no better eligible model to move up to');
  });

  it.each(['cheapest', 'fastest', 'best-quality'] as const)('%s lists no cascade models', (policy) => {
    expect(chooseModel(catalog, call(), policy).cascadeModels).toEqual([]);
  });
});

describe('chooseModel, exclusions', () => {
  it('excludes models below the minimum quality, judged on the weakest needed capability', () => {
    const choice = chooseModel(catalog, call({ structuredOutput: true, needs: { capabilities: ['tools'], minQuality: 0.71 } }));
    expect(choice.model).toBe('large');
    // standard: json 0.72 but tools 0.70.
    expect(candidate(choice, 'standard')).toEqual({
      model: 'standard',
      eligible: false,
      excludedBecause: 'quality 0.70 < min 0.71 (tools, json)',
      estimatedCostMicros: 1200,
    });
  });

  it('judges minimum quality on chat when the call needs nothing in particular', () => {
    const choice = chooseModel(catalog, call({ needs: { minQuality: 0.8 } }));
    expect(choice.model).toBe('large');
    expect(candidate(choice, 'mini').excludedBecause).toBe('quality 0.60 < min 0.80 (chat)');
  });

  it('accepts a quality exactly at the minimum, and treats an unrated model as quality 0', () => {
    expect(chooseModel(catalog, call({ needs: { minQuality: 0.6 } })).model).toBe('mini');
    const unrated = model('unrated');
    expect(candidate(chooseModel([unrated], call({ needs: { minQuality: 0.01 } })), 'unrated').excludedBecause).toBe('quality 0.00 < min 0.01 (chat)');
    expect(chooseModel([unrated], call()).model).toBe('unrated');
  });

  it('excludes models slower than the latency cap, and models whose latency is unknown', () => {
    const unmeasured = model('unmeasured', { inputPricePerMTokens: 0.01, outputPricePerMTokens: 0.01 });
    const choice = chooseModel([...catalog, unmeasured], call({ needs: { maxLatencyMs: 1100 } }), 'best-quality');
    expect(choice.model).toBe('standard');
    expect(candidate(choice, 'large').excludedBecause).toBe('expected latency 2400 ms > max 1100 ms');
    expect(candidate(choice, 'unmeasured').excludedBecause).toBe('expected latency unknown');
  });

  it('excludes models over the cost cap and accepts one exactly at it', () => {
    const choice = chooseModel(catalog, call({ needs: { maxCostMicros: 1200 } }), 'best-quality');
    expect(choice.model).toBe('standard');
    expect(candidate(choice, 'large').excludedBecause).toBe('estimated cost ~7500 µ$ > max 1200 µ$');
  });

  it('excludes a model whose breaker is open, so the next one wins', () => {
    const choice = chooseModel(catalog, call({ openBreakers: new Set(['mini']) }));
    expect(choice.model).toBe('standard');
    expect(choice.fallbackModels).toEqual(['large', 'reasoner']);
    expect(candidate(choice, 'mini')).toEqual({ model: 'mini', eligible: false, excludedBecause: BREAKER_OPEN, estimatedCostMicros: 450 });
    expect(choice.decision.reason).toBe('standard is the cheapest eligible model (~1200 µ$ vs large ~7500 µ$)');
  });

  it('names an unmet need before an open breaker, and the first unmet need only', () => {
    const choice = chooseModel(catalog, call({ needs: { capabilities: ['tools'], minQuality: 0.95, maxLatencyMs: 100, maxCostMicros: 1 }, openBreakers: new Set(['mini', 'large']) }));
    expect(candidate(choice, 'mini').excludedBecause).toBe('lacks tools');
    expect(candidate(choice, 'large').excludedBecause).toBe('quality 0.83 < min 0.95 (tools)');
    const onlyLatencyAndCost = chooseModel([rated.large], call({ needs: { maxLatencyMs: 100, maxCostMicros: 1 }, openBreakers: new Set(['large']) }));
    expect(candidate(onlyLatencyAndCost, 'large').excludedBecause).toBe('expected latency 2400 ms > max 100 ms');
    const onlyCost = chooseModel([rated.large], call({ needs: { maxCostMicros: 1 }, openBreakers: new Set(['large']) }));
    expect(candidate(onlyCost, 'large').excludedBecause).toBe('estimated cost ~7500 µ$ > max 1 µ$');
  });

  it('answers null, blamed on the breakers, when only open breakers stand in the way', () => {
    const choice = chooseModel(catalog, call({ needs: { capabilities: ['tools'] }, openBreakers: new Set(['standard', 'large', 'reasoner']) }));
    expect(choice.model).toBeNull();
    expect(choice.decision.reason).toBe('no model meets the task needs with its circuit breaker closed (open: reasoner, large, standard)');
    expect(blockedByBreakers(choice.decision)).toBe(true);
    expect(blockedByBreakers(chooseModel(catalog, call({ needs: { capabilities: ['vision'] } })).decision)).toBe(false);
  });
});

describe('requiredCapabilities', () => {
  it('adds json for an output schema and lists each capability once', () => {
    expect(requiredCapabilities({ structuredOutput: true, needs: { capabilities: ['tools', 'json', 'tools'] } })).toEqual(['tools', 'json']);
    expect(requiredCapabilities({ structuredOutput: false })).toEqual([]);
  });

  it('adds tools for a call offering the model a tool', () => {
    expect(requiredCapabilities({ structuredOutput: true, offersTools: true })).toEqual(['json', 'tools']);
    expect(requiredCapabilities({ structuredOutput: false, offersTools: true, needs: { capabilities: ['tools'] } })).toEqual(['tools']);
    expect(chooseModel(catalog, call({ offersTools: true })).model).toBe('standard');
  });
});

describe('noModelError', () => {
  it("blames the submitter's needs, or the breakers when only they stand in the way", () => {
    const needs = chooseModel(catalog, call({ needs: { capabilities: ['vision'] } })).decision;
    expect(noModelError(needs, 'no model')).toEqual({ kind: 'user', code: 'no_eligible_model', message: 'no model' });
    const outage = chooseModel([rated.mini], call({ openBreakers: new Set(['mini']) })).decision;
    expect(noModelError(outage, 'no model').kind).toBe('system');
  });
});
