import { z } from 'zod';
import { loadConfig, token } from '@baton/config';
import type { LlmClient, ModelCatalog } from '@baton/llm';
import type { WorkflowRegistry } from '@baton/workflows';
import type { PatternClassifier } from './pattern-classifier';
import type { RoutingPolicies } from './routing-config';

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
  /**
   * OpenAI-compatible endpoint of the pattern classifier's model, for models without their
   * own base URL. Unset: OpenAI when OPENAI_API_KEY is set, else the local model simulator.
   */
  OPENAI_BASE_URL: z.string().url().optional(),
  /** API key for that endpoint; the simulator accepts any. */
  OPENAI_API_KEY: z.string().min(1).optional(),
  /** Per-call timeout of the pattern classifier. */
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(30000),
  /** Retries of a retryable classifier error (429, 5xx, timeout) before the task takes the default pattern. */
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
});
export type RouterConfig = z.infer<typeof RouterConfig>;
export const ROUTER_CONFIG = token<RouterConfig>('ROUTER_CONFIG');
export const MODEL_CATALOG = token<ModelCatalog>('MODEL_CATALOG');
export const ROUTING_POLICIES = token<RoutingPolicies>('ROUTING_POLICIES');
export const WORKFLOWS = token<WorkflowRegistry>('WORKFLOWS');
export const LLM_CLIENT = token<LlmClient>('LLM_CLIENT');
export const PATTERN_CLASSIFIER = token<PatternClassifier>('PATTERN_CLASSIFIER');
export const loadRouterConfig = (): RouterConfig => loadConfig(RouterConfig);
