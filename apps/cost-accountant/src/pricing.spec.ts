import { ModelCatalog, type ModelSpec } from '@baton/llm';
import { priceUsage } from './pricing';

const spec = (id: string, inputPricePerMTokens: number, outputPricePerMTokens: number): ModelSpec => ({
  id,
  provider: 'simulator',
  providerModel: id,
  inputPricePerMTokens,
  outputPricePerMTokens,
  contextWindow: 32_000,
  maxOutputTokens: 4_000,
  capabilities: ['chat', 'json'],
});

const catalog = ModelCatalog.fromSpecs([spec('sim-mini', 0.15, 0.6), spec('sim-large', 2.5, 10), spec('sim-free', 0, 0)]);

const usage = (model: string, promptTokens: number, completionTokens: number) => ({
  stepId: 'main',
  attempt: 1,
  model,
  provider: 'simulator',
  promptTokens,
  completionTokens,
  latencyMs: 120,
});

describe('priceUsage', () => {
  it('prices a call from the catalog in integer micro-dollars', () => {
    // 1000 * 0.15 + 1000 * 0.6 = 750 µ$ exactly, despite 0.15 * 1000 not being exact in binary.
    expect(priceUsage(catalog, usage('sim-mini', 1000, 1000))).toBe(750);
    // 1200 * 2.5 + 350 * 10 = 6500 µ$.
    expect(priceUsage(catalog, usage('sim-large', 1200, 350))).toBe(6500);
  });

  it('rounds a fraction of a micro-dollar up to an integer', () => {
    // 7 * 0.15 + 3 * 0.6 = 2.85 µ$.
    const cost = priceUsage(catalog, usage('sim-mini', 7, 3));
    expect(cost).toBe(3);
    expect(Number.isInteger(cost)).toBe(true);
  });

  it('prices zero tokens and a free model at zero', () => {
    expect(priceUsage(catalog, usage('sim-mini', 0, 0))).toBe(0);
    expect(priceUsage(catalog, usage('sim-free', 5000, 5000))).toBe(0);
  });

  it('uses the model of the usage, not another one', () => {
    expect(priceUsage(catalog, usage('sim-large', 1000, 0))).toBeGreaterThan(priceUsage(catalog, usage('sim-mini', 1000, 0)) ?? Infinity);
  });

  it('throws for a model that is not in the catalog instead of recording zero', () => {
    expect(() => priceUsage(catalog, usage('gpt-unknown', 10, 10))).toThrow(
      'no price for model gpt-unknown: it is not in the model catalog',
    );
  });
});

describe('priceUsage of an estimated usage (a call cut off by a crash)', () => {
  const estimated = { ...usage('sim-large', 0, 0), estimated: true as const };

  it('costs the worst case its reservation held, whatever the tokens', () => {
    expect(priceUsage(catalog, { ...estimated, reservation: { id: 'r1', scopes: ['task:t1'], amountMicros: 4321 } })).toBe(4321);
  });

  it('is null without a reserved amount, so it is refused rather than charged as zero', () => {
    expect(priceUsage(catalog, { ...estimated, reservation: { id: 'r1', scopes: ['task:t1'] } })).toBeNull();
    expect(priceUsage(catalog, estimated)).toBeNull();
  });

  it('needs no catalog entry: the model of a cut-off call may have left the catalog since', () => {
    expect(priceUsage(catalog, { ...estimated, model: 'retired', reservation: { id: 'r1', scopes: ['task:t1'], amountMicros: 9 } })).toBe(9);
  });
});
