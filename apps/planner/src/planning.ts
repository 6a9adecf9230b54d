import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ProposedPlan, describeIssues, type JsonSchemaObject, type Plan } from '@baton/contracts';
import { planProblems } from '@baton/workflows';

/** The step id of the planner agent's call for plan revision `revision`; a dot keeps it apart from plan step ids. */
export function planningStepId(revision: number): string {
  return `planning.${revision}`;
}

/** The revision a planning step id belongs to, or null for other steps. */
export function planningRevision(stepId: string): number | null {
  const m = /^planning\.(\d+)$/.exec(stepId);
  return m ? Number(m[1]) : null;
}

/** JSON Schema the planner agent's answer must satisfy (checked by the output guard too). */
export const PROPOSED_PLAN_SCHEMA: JsonSchemaObject = (() => {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(ProposedPlan, { io: 'input' }) as Record<string, unknown>;
  return schema;
})();

/** The planner agent's instruction for a task. */
export function planningInstruction(taskInstruction: string, revision: number): string {
  const base =
    `Write a plan for this task: ${taskInstruction}\n` +
    'Give each step a short id (lowercase words with dashes), the specialist role that does it, a precise instruction, ' +
    'and the ids of the steps whose outputs it needs (dependsOn). Steps without dependencies run in parallel. ' +
    'Name the step whose output answers the task as resultStep.';
  return revision === 1 ? base : `${base}\nThis is a new plan: the previous one failed (see the feedback); outputs already obtained are in input.data.previous.`;
}

/** Parses the planner agent's answer into a usable plan, or says what is wrong with it. */
export function readProposedPlan(output: unknown): { ok: true; plan: Plan } | { ok: false; problems: string } {
  const parsed = ProposedPlan.safeParse(output);
  if (!parsed.success) return { ok: false, problems: `the plan does not match the schema: ${describeIssues(parsed.error.issues)}` };
  const plan: Plan = parsed.data;
  const problems = planProblems(plan);
  return problems.length ? { ok: false, problems: `the plan is unusable: ${problems.join('; ')}` } : { ok: true, plan };
}

/** Identity of a plan's content (roles, instructions, dependencies), to catch a planner repeating itself. */
export function planFingerprint(plan: Plan): string {
  const shape = plan.steps.map((s) => [s.id, s.role, s.instruction.trim().toLowerCase(), [...(s.dependsOn ?? [])].sort()]);
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 32);
}

/**
 * Gives the steps of plan revision `revision` ids of their own (`research` → `research-r2`),
 * so a late event of an earlier revision's step can never be taken for the new one.
 */
export function reviseIds(plan: Plan, revision: number): Plan {
  if (revision === 1) return plan;
  const rename = (id: string) => `${id}-r${revision}`;
  return {
    ...plan,
    steps: plan.steps.map((s) => ({ ...s, id: rename(s.id), ...(s.dependsOn ? { dependsOn: s.dependsOn.map(rename) } : {}) })),
    ...(plan.resultStep ? { resultStep: rename(plan.resultStep) } : {}),
  };
}
