import { z } from 'zod';
import { loadConfig } from '@baton/config';

/** The router's own settings. */
export const RouterConfig = z.object({
  /** Path of the model catalog (YAML); defaults to config/models.yaml. */
  BATON_MODEL_CATALOG: z.string().optional(),
  /** Path of the routing policies (YAML); defaults to config/routing.yaml, or `cheapest` for every task without one. */
  BATON_ROUTING_CONFIG: z.string().min(1).optional(),
  /** Folder of the workflow definitions; defaults to the repository's workflows/. */
  BATON_WORKFLOWS_DIR: z.string().min(1).optional(),
  /** Expected answer size used in cost estimates, in tokens. */
  ROUTER_EXPECTED_OUTPUT_TOKENS: z.coerce.number().int().positive().default(400),
});
export type RouterConfig = z.infer<typeof RouterConfig>;
export const ROUTER_CONFIG = 'ROUTER_CONFIG';
export const MODEL_CATALOG = 'MODEL_CATALOG';
export const ROUTING_POLICIES = 'ROUTING_POLICIES';
export const WORKFLOWS = 'WORKFLOWS';
export const loadRouterConfig = (): RouterConfig => loadConfig(RouterConfig);
