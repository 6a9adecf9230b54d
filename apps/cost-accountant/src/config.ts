import { z } from 'zod';
import { loadConfig } from '@baton/config';

/** The cost accountant's own settings. */
export const CostConfig = z.object({
  /** Path of the model catalog (YAML) holding the prices; defaults to config/models.yaml. */
  BATON_MODEL_CATALOG: z.string().optional(),
});
export type CostConfig = z.infer<typeof CostConfig>;
export const MODEL_CATALOG = 'MODEL_CATALOG';
export const loadCostConfig = (): CostConfig => loadConfig(CostConfig);
