import type { ModelSpec } from './model-catalog';

/**
 * Cost of one call in integer micro-dollars.
 *
 * USD per million tokens is numerically micro-dollars per token, so the exact cost is
 * `prompt * inputPrice + completion * outputPrice`. Fractions of a micro-dollar are
 * rounded up (ceil): Baton never undercharges a tenant's budget. Floating-point noise
 * (0.15 * 1000 = 150.00000000000003) would otherwise turn an exact amount into one
 * micro-dollar too many, so values within 1e-6 of an integer count as that integer.
 */
export function priceMicros(model: ModelSpec, promptTokens: number, completionTokens: number): number {
  assertTokenCount('promptTokens', promptTokens);
  assertTokenCount('completionTokens', completionTokens);
  const exact = promptTokens * model.inputPricePerMTokens + completionTokens * model.outputPricePerMTokens;
  const nearest = Math.round(exact);
  return Math.abs(exact - nearest) < 1e-6 ? nearest : Math.ceil(exact);
}

/**
 * Rough token count of a text: one token per 4 characters (rounded up), the usual rule
 * of thumb for English with BPE tokenizers. Good enough for routing and budget
 * estimates; real usage always comes from the provider's reported token counts.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function assertTokenCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}
