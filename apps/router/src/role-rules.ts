import type { AgentRole } from '@baton/contracts';

/** Task-type prefixes and the specialist role that handles them; first match wins. */
export const ROLE_RULES: ReadonlyArray<{ prefix: string; role: AgentRole }> = [
  { prefix: 'lead.', role: 'sales' },
  { prefix: 'sales.', role: 'sales' },
  { prefix: 'crm.', role: 'sales' },
  { prefix: 'resume.', role: 'recruiting' },
  { prefix: 'candidate.', role: 'recruiting' },
  { prefix: 'hiring.', role: 'recruiting' },
  { prefix: 'payment.', role: 'risk' },
];

/** Instructions used when the submitter gives none, by task type. */
export const DEFAULT_INSTRUCTIONS: Readonly<Record<string, string>> = {
  'lead.qualify':
    'Qualify this sales lead from the notes: decide whether it is qualified, give a score from 0 to 100, the budget, authority, need and timeline you can infer, and the next action for sales.',
  'resume.screen':
    'Screen this resume against the role described: decide whether to shortlist the candidate, score the fit from 0 to 100, and list strengths and concerns.',
  'support.triage':
    'Triage this customer support ticket: give its category, priority and a one-sentence summary for the support team.',
};

const GENERIC_INSTRUCTION = 'Complete the task described in the input and answer concisely.';

/** The role for a task type: the first matching prefix, else `general`. */
export function chooseRole(taskType: string): AgentRole {
  return ROLE_RULES.find((r) => taskType.startsWith(r.prefix))?.role ?? 'general';
}

/** The submitter's instruction, else the default of the task type, else a generic one. */
export function instructionFor(taskType: string, given?: string): string {
  // Own properties only: a task type such as `constructor` must not read Object.prototype.
  return given ?? (Object.hasOwn(DEFAULT_INSTRUCTIONS, taskType) ? DEFAULT_INSTRUCTIONS[taskType] : GENERIC_INSTRUCTION);
}
