import { RoutingDecision } from '@baton/contracts';
import { priceMicros, type ModelSpec } from '@baton/llm';
import { chooseCheapestModel, type CallProfile } from './model-choice';

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

function candidate(choice: ReturnType<typeof chooseCheapestModel>, id: string) {
  const c = choice.decision.candidates.find((x) => x.model === id);
  if (!c) throw new Error(`no candidate ${id}`);
  return c;
}

describe('chooseCheapestModel', () => {
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
