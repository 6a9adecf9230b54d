import { createHash } from 'node:crypto';
import type { ErrorInfo, JsonSchemaObject, Plan, PlanStep, StepRequested, StopReason, TaskInput, TaskRouted } from '@baton/contracts';
import { readySteps, resultStepId } from '@baton/workflows';
import { nextMove, type AttemptRecord } from './step-policy';

/** Where one step of a run is. */
export interface StepRun {
  status: 'running' | 'done';
  attempt: number;
  model: string;
  output?: unknown;
  history: AttemptRecord[];
}

/** Everything the planner remembers about a running task; stored as one JSON value. */
export interface RunState {
  plan: Plan;
  taskInput: TaskInput;
  /** Effective limits. */
  limits: { maxSteps: number; maxAttemptsPerStep: number; deadlineAt: number };
  steps: Record<string, StepRun>;
  /** Fingerprints of every step dispatched (role + instruction + input), to catch loops. */
  fingerprints: string[];
}

/** What the planner must do after an event. */
export type Action =
  | { type: 'dispatch'; step: Omit<StepRequested['data'], 'feedback'> & { feedback: string[] } }
  | { type: 'complete'; result: unknown; stepOutputs: Record<string, unknown>; attempts: number }
  | { type: 'stop'; outcome: 'failed' | 'escalated'; stopReason: StopReason; reason: ErrorInfo; history: AttemptRecord[] }
  | { type: 'ignore'; why: string };

/** Defaults applied where a task sets no limit. */
export interface LimitDefaults {
  maxSteps: number;
  maxAttemptsPerStep: number;
  deadlineSeconds: number;
}

/** The single-step pattern is a one-step plan: one executor for every pattern. */
export function planOf(routed: TaskRouted['data']): Plan {
  if (routed.plan) return routed.plan;
  return {
    steps: [
      {
        id: 'main',
        role: routed.role,
        instruction: routed.instruction,
        ...(routed.outputSchema ? { outputSchema: routed.outputSchema } : {}),
        model: routed.model,
        ...(routed.fallbackModels ? { fallbackModels: routed.fallbackModels } : {}),
        ...(routed.cascadeModels ? { cascadeModels: routed.cascadeModels } : {}),
      },
    ],
  };
}

function stop(stopReason: StopReason, kind: ErrorInfo['kind'], message: string, outcome: 'failed' | 'escalated' = 'failed', history: AttemptRecord[] = []): Action {
  return { type: 'stop', outcome, stopReason, reason: { kind, code: stopReason, message }, history };
}

/** The input of a step: the task's input plus the outputs of the steps it depends on. */
function stepInput(run: RunState, step: PlanStep): TaskInput {
  const deps = step.dependsOn ?? [];
  if (!deps.length) return run.taskInput;
  const outputs = Object.fromEntries(deps.map((d) => [d, run.steps[d]?.output]));
  return { text: run.taskInput.text, data: { ...(run.taskInput.data ?? {}), steps: outputs } };
}

function fingerprint(role: string, instruction: string, input: TaskInput): string {
  return createHash('sha256').update(JSON.stringify([role, instruction, input])).digest('hex').slice(0, 32);
}

function dispatch(run: RunState, step: PlanStep, attempt: number, model: string, feedback: string[]): Action {
  return {
    type: 'dispatch',
    step: {
      stepId: step.id,
      attempt,
      role: step.role,
      model,
      instruction: step.instruction,
      input: stepInput(run, step),
      ...(step.outputSchema ? { outputSchema: step.outputSchema as JsonSchemaObject } : {}),
      ...(step.fallbackModels?.length ? { fallbackModels: step.fallbackModels } : {}),
      feedback,
    },
  };
}

/** Starts every ready step, unless a limit forbids it; the caller persists `run` after acting. */
function advance(run: RunState): Action[] {
  const started = new Set(Object.keys(run.steps));
  const done = new Set(Object.entries(run.steps).filter(([, s]) => s.status === 'done').map(([id]) => id));
  if (done.size === run.plan.steps.length) {
    const outputs = Object.fromEntries(Object.entries(run.steps).map(([id, s]) => [id, s.output]));
    const attempts = Math.max(...Object.values(run.steps).map((s) => s.attempt));
    return [{ type: 'complete', result: run.steps[resultStepId(run.plan)].output, stepOutputs: outputs, attempts }];
  }
  const actions: Action[] = [];
  for (const step of readySteps(run.plan, started, done)) {
    if (Object.keys(run.steps).length >= run.limits.maxSteps) {
      return [stop('max_steps', 'policy', `the task reached its limit of ${run.limits.maxSteps} steps`)];
    }
    const model = step.model;
    if (!model) return [stop('no_eligible_model', 'system', `step ${step.id} has no model: the router did not route it`)];
    const input = stepInput(run, step);
    const fp = fingerprint(step.role, step.instruction, input);
    if (run.fingerprints.includes(fp)) {
      return [stop('loop_detected', 'policy', `step ${step.id} would give ${step.role} the same instruction and input again`)];
    }
    run.fingerprints.push(fp);
    run.steps[step.id] = { status: 'running', attempt: 1, model, history: [] };
    actions.push(dispatch(run, step, 1, model, []));
  }
  return actions;
}

/** A routed task: builds its run and dispatches the first steps. */
export function startRun(routed: TaskRouted['data'], defaults: LimitDefaults, now: number): { run: RunState; actions: Action[] } {
  const plan = planOf(routed);
  const limits = {
    maxSteps: routed.limits?.maxSteps ?? defaults.maxSteps,
    maxAttemptsPerStep: routed.limits?.maxAttemptsPerStep ?? defaults.maxAttemptsPerStep,
    deadlineAt: now + 1000 * (routed.limits?.deadlineSeconds ?? defaults.deadlineSeconds),
  };
  const run: RunState = { plan, taskInput: routed.input, limits, steps: {}, fingerprints: [] };
  if (plan.steps.length > limits.maxSteps) {
    return { run, actions: [stop('max_steps', 'policy', `the plan has ${plan.steps.length} steps; the limit is ${limits.maxSteps}`)] };
  }
  return { run, actions: advance(run) };
}

function overdue(run: RunState, now: number): Action | null {
  return now > run.limits.deadlineAt ? stop('deadline_exceeded', 'policy', `the task passed its deadline (${new Date(run.limits.deadlineAt).toISOString()})`) : null;
}

/** A step's output was approved. */
export function onApproved(run: RunState, stepId: string, attempt: number, output: unknown, now: number): Action[] {
  const late = overdue(run, now);
  if (late) return [late];
  const step = run.steps[stepId];
  if (!step || step.status !== 'running' || step.attempt !== attempt) {
    return [{ type: 'ignore', why: `approval of ${stepId} attempt ${attempt} does not match the run (${step ? `${step.status} attempt ${step.attempt}` : 'unknown step'})` }];
  }
  step.status = 'done';
  step.output = output;
  return advance(run);
}

/** A step's attempt was blocked by the output check or failed in the agent. */
export function onSetback(run: RunState, stepId: string, attempt: number, outcome: AttemptRecord['outcome'], reason: string, now: number): Action[] {
  const late = overdue(run, now);
  if (late) return [late];
  const step = run.steps[stepId];
  if (!step || step.status !== 'running') return [{ type: 'ignore', why: `${outcome} for ${stepId}, which is not running` }];
  if (!step.history.some((h) => h.attempt === attempt)) step.history.push({ attempt, outcome, reason });
  const move = nextMove({ attempts: step.attempt, maxAttempts: run.limits.maxAttemptsPerStep }, attempt, step.history);
  if (move.action === 'ignore') return [{ type: 'ignore', why: move.why }];
  if (move.action === 'escalate') {
    return [{ type: 'stop', outcome: 'escalated', stopReason: 'attempts_exhausted', reason: { ...move.reason, message: `step ${stepId}: ${move.reason.message}` }, history: step.history }];
  }
  const planStep = run.plan.steps.find((s) => s.id === stepId);
  if (!planStep) return [{ type: 'ignore', why: `step ${stepId} is not in the plan` }];
  // Cascade: a rejected answer moves the step up to the next better model, if there is one.
  const cascade = outcome === 'blocked' ? planStep.cascadeModels ?? [] : [];
  const model = cascade[Math.min(move.attempt - 2, cascade.length - 1)] ?? step.model;
  step.attempt = move.attempt;
  step.model = model;
  return [dispatch(run, planStep, move.attempt, model, move.feedback)];
}

/** The deadline sweep found the task overdue. */
export function onDeadline(run: RunState, now: number): Action[] {
  return [overdue(run, now) ?? { type: 'ignore', why: 'not overdue' }];
}
