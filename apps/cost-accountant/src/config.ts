import { z } from 'zod';
import { loadConfig, token } from '@baton/config';
import type { ModelCatalog } from '@baton/llm';

/** The cost accountant's own settings. */
export const CostConfig = z.object({
  /** Path of the model catalog (YAML) holding the prices; defaults to config/models.yaml. */
  BATON_MODEL_CATALOG: z.string().optional(),
});
export type CostConfig = z.infer<typeof CostConfig>;
export const MODEL_CATALOG = token<ModelCatalog>('MODEL_CATALOG');
export const loadCostConfig = (): CostConfig => loadConfig(CostConfig);
