import type { LlmUsage } from '@baton/contracts';
import { priceMicros, type ModelCatalog } from '@baton/llm';

/**
 * Prices one model call in integer micro-dollars from the catalog. An unknown model is
 * a system error: spend must never be silently recorded as zero.
 *
 * An estimated usage (a call cut off by a crash of its agent: its tokens are unknown) costs
 * the worst case its reservation held, so a budget is never under-counted; null when it
 * carries no reserved amount, which no agent sends (the caller refuses it).
 */
export function priceUsage(catalog: ModelCatalog, usage: LlmUsage['data']): number | null {
  if (usage.estimated) return usage.reservation?.amountMicros ?? null;
  if (!catalog.has(usage.model)) throw new Error(`no price for model ${usage.model}: it is not in the model catalog`);
  return priceMicros(catalog.get(usage.model), usage.promptTokens, usage.completionTokens);
}
