import type { LlmUsage } from '@baton/contracts';
import { priceMicros, type ModelCatalog } from '@baton/llm';

/**
 * Prices one model call in integer micro-dollars from the catalog. An unknown model is
 * a system error: spend must never be silently recorded as zero.
 */
export function priceUsage(catalog: ModelCatalog, usage: LlmUsage['data']): number {
  if (!catalog.has(usage.model)) throw new Error(`no price for model ${usage.model}: it is not in the model catalog`);
  return priceMicros(catalog.get(usage.model), usage.promptTokens, usage.completionTokens);
}
