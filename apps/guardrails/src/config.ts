import { z } from 'zod';
import { join, resolve } from 'node:path';
import { findUpward, loadConfig, readYamlFile, token } from '@baton/config';
import { LOCAL_CANARY_SECRET, OutputRulesConfig, taskCanary } from '@baton/guard';
import type { PermissionPolicy } from '@baton/guard';
import type { ToolRegistry } from '@baton/agent-tools';

/** The guardrail checker's own settings. */
export const GuardrailsConfig = z.object({
  /** Largest input (text plus structured data, in characters) a task may carry. */
  GUARD_MAX_INPUT_CHARS: z.coerce.number().int().positive().default(20000),
  /** Largest instruction a submitter may give. */
  GUARD_MAX_INSTRUCTION_CHARS: z.coerce.number().int().positive().default(4000),
  /** A submission that reads as a prompt injection: `reject` it (default), or `flag` it in the audit trail and go on. */
  GUARD_INJECTION_ACTION: z.enum(['reject', 'flag']).default('reject'),
  /** The output rules (YAML); defaults to config/output-rules.yaml. */
  BATON_OUTPUT_RULES: z.string().optional(),
  /** Comma-separated canary strings that must never appear in an output, added to the rules' own. */
  GUARD_CANARIES: z.string().optional(),
  /** The tool permission policy (YAML); defaults to config/permissions.yaml. */
  BATON_PERMISSIONS: z.string().optional(),
  /** Secret the task canaries are derived from; the same in every agent and guardrail checker. Unset: the local one (set your own in a deployment). */
  BATON_CANARY_SECRET: z.string().min(16, 'BATON_CANARY_SECRET needs 16+ characters').optional(),
});
export type GuardrailsConfig = z.infer<typeof GuardrailsConfig>;
export const GUARDRAILS_CONFIG = token<GuardrailsConfig>('GUARDRAILS_CONFIG');
export const PERMISSION_POLICY = token<PermissionPolicy>('PERMISSION_POLICY');
export const TOOL_REGISTRY = token<ToolRegistry>('TOOL_REGISTRY');
export const loadGuardrailsConfig = (): GuardrailsConfig => loadConfig(GuardrailsConfig);
export const OUTPUT_RULES = token<OutputRulesConfig>('OUTPUT_RULES');

/** The output rules from BATON_OUTPUT_RULES or config/output-rules.yaml, with GUARD_CANARIES added. */
export function loadOutputRules(c: Pick<GuardrailsConfig, 'BATON_OUTPUT_RULES' | 'GUARD_CANARIES'>): OutputRulesConfig {
  const path = c.BATON_OUTPUT_RULES ? resolve(c.BATON_OUTPUT_RULES) : findUpward(join('config', 'output-rules.yaml'));
  if (!path) throw new Error('cannot find config/output-rules.yaml: set BATON_OUTPUT_RULES to the output rules file');
  const parsed = OutputRulesConfig.safeParse(readYamlFile(path, 'output rules'));
  if (!parsed.success) throw new Error(`output rules ${path} are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  const extra = (c.GUARD_CANARIES ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  return { ...parsed.data, canaries: { ...parsed.data.canaries, values: [...parsed.data.canaries.values, ...extra] } };
}

/** The task's canary, planted by the agents in every system prompt of the task. */
export function canaryOf(c: Pick<GuardrailsConfig, 'BATON_CANARY_SECRET'>, taskId: string): string {
  return taskCanary(c.BATON_CANARY_SECRET ?? LOCAL_CANARY_SECRET, taskId);
}
