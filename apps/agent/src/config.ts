import { z } from 'zod';
import { AgentRole } from '@baton/contracts';
import { loadConfig, token } from '@baton/config';
import type { PermissionPolicy } from '@baton/guard';
import type { LlmClient, ModelCatalog } from '@baton/llm';
import type { ToolRegistry } from '@baton/agent-tools';

/** Comma-separated roles, e.g. `research,writer`. */
const RoleList = z
  .string()
  .transform((s) => [...new Set(s.split(',').map((r) => r.trim()).filter(Boolean))])
  .pipe(z.array(AgentRole).min(1, 'name at least one role'));

/** An agent deployment's settings: one deployment per role, or one for several light roles. */
export const AgentConfig = z.object({
  /** The specialist roles this deployment plays; each decides a step topic it consumes. */
  AGENT_ROLES: RoleList.optional(),
  /** One role; the older spelling of AGENT_ROLES, used when AGENT_ROLES is unset. */
  AGENT_ROLE: AgentRole.optional(),
  /** Path of the model catalog (YAML); defaults to config/models.yaml. */
  BATON_MODEL_CATALOG: z.string().optional(),
  /**
   * OpenAI-compatible endpoint for models without their own base URL. Unset: OpenAI when
   * OPENAI_API_KEY is set, else the local model simulator.
   */
  OPENAI_BASE_URL: z.string().url().optional(),
  /** API key for that endpoint; the simulator accepts any. */
  OPENAI_API_KEY: z.string().min(1).optional(),
  /** Per-call timeout. */
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(30000),
  /** Retries of a retryable model error (429, 5xx, timeout) before the attempt fails. */
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** `true` puts the conversation and the answer on model spans, personal data and secrets redacted; off by default. */
  BATON_TRACE_CONTENT: z.enum(['true', 'false']).default('false'),
  /** Consecutive failed calls (after retries) that open a model's circuit breaker, across all replicas. */
  BATON_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(3),
  /** `run` tools for real; `record` (shadow mode) notes calls of tools with side effects without running them. */
  BATON_TOOL_MODE: z.enum(['run', 'record']).default('run'),
  /** How long an open breaker refuses calls before one probe call may test the model again, ms. */
  BATON_BREAKER_OPEN_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** How long a tool call waits for the guardrails' verdict; no verdict in time means the call is refused. */
  BATON_TOOL_VERDICT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** The tool permission policy (YAML), for which tools to offer each role; defaults to config/permissions.yaml. */
  BATON_PERMISSIONS: z.string().optional(),
  /**
   * An untrusted tool result that reads as instructions to the model: `withhold` it (default;
   * the model reads that it was withheld), or `flag` it in the audit trail and let the model
   * read it, leaving containment to the permission policy (as containment tests do).
   */
  AGENT_TOOL_RESULT_INJECTION: z.enum(['withhold', 'flag']).default('withhold'),
  /** Secret the task canaries are derived from; the same in every agent and guardrail checker. Unset: the local one (set your own in a deployment). */
  BATON_CANARY_SECRET: z.string().min(16, 'BATON_CANARY_SECRET needs 16+ characters').optional(),
});
export type AgentConfig = z.infer<typeof AgentConfig>;
export const AGENT_CONFIG = token<AgentConfig>('AGENT_CONFIG');
export const LLM_CLIENT = token<LlmClient>('LLM_CLIENT');
export const MODEL_CATALOG = token<ModelCatalog>('AGENT_MODEL_CATALOG');
export const PERMISSION_POLICY = token<PermissionPolicy>('AGENT_PERMISSION_POLICY');
export const TOOL_REGISTRY = token<ToolRegistry>('AGENT_TOOL_REGISTRY');
export const loadAgentConfig = (): AgentConfig => loadConfig(AgentConfig);

/** The roles a deployment serves: AGENT_ROLES, else AGENT_ROLE, else `general`. */
export function agentRoles(config: Pick<AgentConfig, 'AGENT_ROLES' | 'AGENT_ROLE'>): AgentRole[] {
  return config.AGENT_ROLES ?? [config.AGENT_ROLE ?? 'general'];
}
