import type { HandoffTarget, PlanStep } from '@baton/contracts';
import { participantStepId, readBallot, type Ballot } from '../debate';
import type { RunState } from './types';

/* Reading the plan in force: its steps, their hand-off targets, a debate's votes. */

/** The plan step `id` of the plan in force. */
export function planStep(run: RunState, id: string): PlanStep | undefined {
  return run.plan?.steps.find((s) => s.id === id);
}

/** Roles a step may be handed to: its declared targets, and back to the role it was planned for. */
export function handoffTargets(step: PlanStep): HandoffTarget[] {
  const declared = step.handoffs ?? [];
  if (!declared.length) return [];
  const home: HandoffTarget = { role: step.role, ...(step.model ? { model: step.model } : {}), ...fallbacks(step.fallbackModels) };
  return [home, ...declared.filter((h) => h.role !== step.role)];
}

/** The fallback models field of a step, left out when there are none. */
export function fallbacks(models: string[] | undefined): { fallbackModels?: string[] } {
  return models?.length ? { fallbackModels: models } : {};
}

/** The votes of a debate step's participants so far (no vote yet: null). */
export function ballots(run: RunState, step: PlanStep): Ballot[] {
  const debate = step.debate;
  if (!debate) return [];
  return debate.participants.map((p, i) => {
    const s = run.steps[participantStepId(step.id, i)];
    const { vote, rationale } = s?.status === 'done' ? readBallot(s.output, debate.choices) : { vote: null, rationale: 'no vote yet' };
    return { participant: participantStepId(step.id, i), role: p.role, model: s?.model ?? p.model ?? '', weight: p.weight ?? 1, vote, rationale };
  });
}
