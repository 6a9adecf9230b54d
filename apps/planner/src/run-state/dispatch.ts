import { createHash } from 'node:crypto';
import type { JsonSchemaObject, PlanStep, TaskInput } from '@baton/contracts';
import { ballotSchema, judgeInstruction, participantInstruction, verdictSchema } from '../debate';
import { PROPOSED_PLAN_SCHEMA, planningInstruction, planningRevision, planningStepId } from '../planning';
import { stop } from './outcomes';
import { ballots, handoffTargets, planStep } from './plan-steps';
import type { Action, DispatchedStep, RunState, StepRun } from './types';

/* Starting a step: the request of each attempt, rebuilt from the run, and the limits checked first. */

/** The input of a plan step: the task's input plus the outputs of the steps it depends on (and of earlier plans). */
function stepInput(run: RunState, step: PlanStep): TaskInput {
  const deps = step.dependsOn ?? [];
  const hasPrevious = Object.keys(run.previous).length > 0;
  if (!deps.length && !hasPrevious) return run.task.input;
  const data: Record<string, unknown> = { ...(run.task.input.data ?? {}) };
  if (deps.length) data.steps = Object.fromEntries(deps.map((d) => [d, run.steps[d]?.output]));
  if (hasPrevious) data.previous = run.previous;
  return { ...run.task.input, data };
}

function fingerprint(role: string, instruction: string, input: TaskInput): string {
  return createHash('sha256').update(JSON.stringify([role, instruction, input])).digest('hex').slice(0, 32);
}

/** The request of one attempt of a dispatched step, rebuilt from the run so retries ask the same thing. */
export function request(run: RunState, id: string, feedback: string[]): DispatchedStep {
  const s = run.steps[id];
  const base = { stepId: id, attempt: s.attempt, role: s.role, model: s.model, ...(s.fallbackModels?.length ? { fallbackModels: s.fallbackModels } : {}) };
  const remainingTools = Math.max(0, run.limits.maxToolCalls - run.counters.toolCalls);
  const human = s.guidance.map((g) => `A human reviewer said: ${g}`);
  const all = [...feedback, ...human];
  switch (s.kind) {
    case 'planning':
      return {
        ...base,
        instruction: planningInstruction(run.task.instruction, planningRevision(id) ?? 1),
        input: Object.keys(run.previous).length ? { ...run.task.input, data: { ...(run.task.input.data ?? {}), previous: run.previous } } : run.task.input,
        outputSchema: PROPOSED_PLAN_SCHEMA,
        feedback: all,
        maxToolCalls: 0,
      };
    case 'participant':
    case 'judge': {
      const parent = planStep(run, s.parent ?? '');
      const debate = parent?.debate;
      if (!parent || !debate) throw new Error(`debate step ${s.parent ?? '?'} of ${id} is not in the plan`);
      const input = stepInput(run, parent);
      const judging = s.kind === 'judge';
      return {
        ...base,
        instruction: judging ? judgeInstruction(parent.instruction, debate.choices) : participantInstruction(parent.instruction, debate.choices),
        input: judging ? { ...input, data: { ...(input.data ?? {}), votes: ballots(run, parent) } } : input,
        outputSchema: judging ? verdictSchema(debate.choices) : ballotSchema(debate.choices),
        feedback: all,
        maxToolCalls: 0,
      };
    }
    case 'step': {
      const p = planStep(run, id);
      if (!p) throw new Error(`step ${id} is not in the plan`);
      const input = stepInput(run, p);
      const targets = handoffTargets(p).map((h) => h.role).filter((r) => r !== s.role);
      return {
        ...base,
        instruction: p.instruction,
        input: s.handoff ? { ...input, data: { ...(input.data ?? {}), handoff: s.handoff } } : input,
        ...(p.outputSchema ? { outputSchema: p.outputSchema as JsonSchemaObject } : {}),
        ...(targets.length && run.counters.handoffs < run.limits.maxHandoffs ? { handoffRoles: targets } : {}),
        feedback: all,
        maxToolCalls: remainingTools,
      };
    }
  }
}

/** Starts a step (or sub-step) that was not running, unless a limit forbids it. */
export function begin(run: RunState, id: string, init: Omit<StepRun, 'status' | 'attempt' | 'since' | 'history' | 'holders' | 'guidance'>): Action {
  if (run.counters.stepsRun >= run.limits.maxSteps) {
    return stop('max_steps', 'policy', `the task reached its limit of ${run.limits.maxSteps} steps`);
  }
  run.steps[id] = { ...init, status: 'running', attempt: 1, since: 1, history: [], holders: [init.role], guidance: [] };
  const step = request(run, id, []);
  const fp = fingerprint(step.role, step.instruction, step.input);
  if (run.fingerprints.includes(fp)) {
    delete run.steps[id];
    return stop('loop_detected', 'policy', `step ${id} would give ${step.role} the same instruction and input again`);
  }
  run.fingerprints.push(fp);
  run.counters.stepsRun += 1;
  return { type: 'dispatch', step };
}

export function beginPlanning(run: RunState, revision: number, feedback: string[]): Action {
  const planner = run.planner;
  if (!planner) return stop('invalid_plan', 'system', 'the task has no planner model');
  const action = begin(run, planningStepId(revision), { kind: 'planning', role: 'planner', ...planner });
  if (action.type === 'dispatch' && feedback.length) action.step.feedback = feedback;
  return action;
}
