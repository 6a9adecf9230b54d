import { canonicalHash } from '@baton/contracts';

/**
 * Name of the task context entry recording that a human approved one tool call: the tool
 * and a hash of its exact arguments. The planner writes it when the approval is decided;
 * the guardrails allow the very same call (and no other) when the rerun proposes it.
 */
export function toolGrantName(tool: string, args: Record<string, unknown>): string {
  return `tool-grant:${tool}:${canonicalHash(args)}`;
}
