import type { PlanStep } from '@baton/contracts';
import { readySteps, resultStepId } from '@baton/workflows';
import { debateOutcome, judgeStepId, participantStepId, tally } from '../debate';
import { begin } from './dispatch';
import { escalate, stop } from './outcomes';
import { ballots, fallbacks, planStep } from './plan-steps';
import type { Action, RunState } from './types';

/* Moving a plan on: ready steps start, a debate settles, the run completes when every step is done. */

/** Starts every ready plan step (a debate step starts its participants); completes the run when all are done. */
export function advance(run: RunState): Action[] {
  const plan = run.plan;
  if (!plan) return [];
  const ids = new Set(plan.steps.map((s) => s.id));
  const done = new Set(plan.steps.filter((s) => run.steps[s.id]?.status === 'done').map((s) => s.id));
  if (done.size === plan.steps.length) {
    const outputs = Object.fromEntries(plan.steps.map((s) => [s.id, run.steps[s.id].output]));
    const attempts = Math.max(...Object.values(run.steps).map((s) => s.attempt));
    return [{ type: 'complete', result: run.steps[resultStepId(plan)].output, stepOutputs: outputs, attempts }];
  }
  const started = new Set(Object.keys(run.steps).filter((id) => ids.has(id)));
  const actions: Action[] = [];
  for (const step of readySteps(plan, started, done)) {
    if (!step.model) return [stop('no_eligible_model', 'system', `step ${step.id} has no model: the router did not route it`)];
    const dispatched = step.debate ? beginDebate(run, step) : [begin(run, step.id, { kind: 'step', role: step.role, model: step.model, ...fallbacks(step.fallbackModels) })];
    const halt = dispatched.find((a) => a.type === 'stop');
    if (halt) return [halt];
    actions.push(...dispatched);
  }
  return actions;
}

function beginDebate(run: RunState, step: PlanStep): Action[] {
  const debate = step.debate;
  if (!debate || !step.model) return [];
  // The debate step itself is the judge's seat: it records the outcome once the votes are in.
  run.steps[step.id] = { kind: 'step', status: 'running', attempt: 1, since: 1, role: step.role, model: step.model, history: [], holders: [step.role], guidance: [] };
  const actions: Action[] = [];
  for (const [i, p] of debate.participants.entries()) {
    if (!p.model) return [stop('no_eligible_model', 'system', `participant ${i + 1} of debate ${step.id} has no model: the router did not route it`)];
    actions.push(begin(run, participantStepId(step.id, i), { kind: 'participant', role: p.role, model: p.model, parent: step.id, ...fallbacks(p.fallbackModels) }));
  }
  return actions;
}


/** Once every participant of a debate has voted (or given up), decides it, asks the judge, or escalates the tie. */
export function settleDebate(run: RunState, parentId: string, now: number): Action[] {
  const step = planStep(run, parentId);
  const debate = step?.debate;
  if (!step || !debate) return [{ type: 'ignore', why: `debate ${parentId} is not in the plan` }];
  const pending = debate.participants.some((_, i) => run.steps[participantStepId(parentId, i)]?.status !== 'done');
  if (pending) return [];
  const cast = ballots(run, step);
  const result = tally(debate, cast);
  if (result.outcome === 'decided') return finish(run, parentId, debateOutcome(debate, cast, result.decision, 'vote'));
  if (debate.onTie === 'human') {
    return [
      escalate(run, 'debate_tie', `debate ${parentId} ended in a tie (${result.leaders.join(' / ')}); a human must pick`, now, {
        stepId: parentId,
        allowed: ['answer', 'edit', 'reject'],
        pendingOutput: debateOutcome(debate, cast, result.leaders[0], 'vote'),
        choices: debate.choices,
      }),
    ];
  }
  if (!step.model) return [stop('no_eligible_model', 'system', `debate ${parentId} has no judge model`)];
  return [begin(run, judgeStepId(parentId), { kind: 'judge', role: step.role, model: step.model, parent: parentId, ...fallbacks(step.fallbackModels) })];
}


/** Marks a plan step (or a debate) done with `output` and moves on; also how a human's decision settles a step. */
export function finish(run: RunState, id: string, output: unknown): Action[] {
  const s = run.steps[id];
  s.status = 'done';
  s.output = output;
  return advance(run);
}
