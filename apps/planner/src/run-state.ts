import { usdToMicros } from '@baton/budget';
import { createHash } from 'node:crypto';
import type {
  AgentRole,
  DecisionAction,
  ErrorInfo,
  HandoffTarget,
  JsonSchemaObject,
  Pattern,
  Plan,
  PlanStep,
  RoutingPolicy,
  StepRequested,
  StopReason,
  TaskInput,
  TaskNeeds,
  TaskRouted,
} from '@baton/contracts';
import { readySteps, resultStepId } from '@baton/workflows';
import {
  ballotSchema,
  debateOutcome,
  judgeInstruction,
  judgeStepId,
  participantInstruction,
  participantStepId,
  readBallot,
  tally,
  verdictSchema,
  type Ballot,
} from './debate';
import { PROPOSED_PLAN_SCHEMA, planFingerprint, planningInstruction, planningRevision, planningStepId, readProposedPlan, reviseIds } from './planning';
import { nextMove, type AttemptRecord } from './step-policy';

/** What a dispatched step is: a plan step, the planner agent's call, a debate voter or a debate's judge. */
export type StepKind = 'step' | 'planning' | 'participant' | 'judge';

/** Where one step of a run is. */
export interface StepRun {
  kind: StepKind;
  /** `waiting`: its output waits for a human's approval. */
  status: 'running' | 'done' | 'waiting';
  /** Attempt number carried by the step's events; grows with retries and hand-offs. */
  attempt: number;
  /** Attempt at which the current holder started (a hand-off or a human's go-ahead starts a fresh count). */
  since: number;
  role: AgentRole;
  model: string;
  fallbackModels?: string[];
  output?: unknown;
  history: AttemptRecord[];
  /** Roles that have held the step, in order; more than one after hand-offs. */
  holders: AgentRole[];
  /** What the last specialist told the next one when handing off. */
  handoff?: { from: AgentRole; reason: string; note: string };
  /** Answers a human gave for this step. */
  guidance: string[];
  /** The debate step a participant or judge belongs to. */
  parent?: string;
}

/** An escalation the run waits on; `id` is filled in by the service when it records it. */
export interface PendingEscalation {
  id?: string;
  stopReason: StopReason;
  stepId?: string;
  allowed: DecisionAction[];
  pendingOutput?: unknown;
  /** A tool call waiting for the human's approval. */
  toolCall?: PendingToolCall;
  choices?: string[];
  /** When it was raised, ms; the deadline is pushed back by the time spent waiting. */
  at: number;
}

/** Effective limits of a run. */
export interface RunLimits {
  maxSteps: number;
  maxAttemptsPerStep: number;
  maxReplans: number;
  maxToolCalls: number;
  maxHandoffs: number;
  deadlineAt: number;
  escalationTimeoutSeconds: number;
  onEscalationTimeout: 'fail' | 'approve';
  /** The task's own spend cap (micro-dollars), passed to agents with every step. */
  maxCostMicros?: number;
  /** What an exhausted budget does: stop the task (default) or escalate it. */
  onBudgetExhausted?: 'stop' | 'escalate';
}

/** Everything the planner remembers about a running task; stored as one JSON value. */
export interface RunState {
  pattern: Pattern;
  /** The plan in force; null while the planner agent is writing it. */
  plan: Plan | null;
  /** Revision of the plan in force (0: none yet) and the revision waiting for the router. */
  revision: number;
  awaitingRevision?: number;
  task: { taskType: string; instruction: string; input: TaskInput; needs?: TaskNeeds; routingPolicy?: RoutingPolicy };
  /** Model of the planner agent, for the plan pattern. */
  planner?: { model: string; fallbackModels?: string[] };
  limits: RunLimits;
  steps: Record<string, StepRun>;
  /** Fingerprints of every step dispatched (role + instruction + input), to catch loops. */
  fingerprints: string[];
  /** Fingerprints of every plan the planner agent proposed, to catch a planner repeating itself. */
  planFingerprints: string[];
  counters: { stepsRun: number; replans: number; toolCalls: number; handoffs: number };
  /** Outputs of the steps of earlier plan revisions, handed to later ones. */
  previous: Record<string, unknown>;
  escalation?: PendingEscalation;
}

/** The step fields the planner decides; the service adds nothing but the envelope. */
export type DispatchedStep = StepRequested['data'];

/** What the planner must do after an event. */
export type Action =
  | { type: 'dispatch'; step: DispatchedStep }
  | { type: 'propose'; revision: number; plan: Plan }
  | { type: 'complete'; result: unknown; stepOutputs: Record<string, unknown>; attempts: number }
  | { type: 'stop'; stopReason: StopReason; reason: ErrorInfo; history: AttemptRecord[] }
  | { type: 'escalate'; escalation: PendingEscalation; reason: ErrorInfo; history: AttemptRecord[]; role?: AgentRole }
  | { type: 'ignore'; why: string }
  /** A human approved this tool call: the guardrails allow it when the rerun proposes it again. */
  | { type: 'grant'; toolCall: PendingToolCall; decidedBy: string }
  /** The run began: the task moves to `running`, with this deadline. */
  | { type: 'started'; deadlineAt: number }
  /** A decision resumes the run: the task moves back to `running`, with this (pushed back) deadline. */
  | { type: 'resumed'; deadlineAt: number }
  /** The escalation was acted on (last, once everything it caused is carried out). */
  /** A human's (or the timeout's) decision was applied: the escalation is marked resumed and the decision audited. */
  | { type: 'decided'; escalationId: string; action?: string; decidedBy?: string; comment?: string };

/** Defaults applied where a task sets no limit. */
export interface LimitDefaults {
  maxSteps: number;
  maxAttemptsPerStep: number;
  deadlineSeconds: number;
  maxReplans?: number;
  maxToolCalls?: number;
  maxHandoffs?: number;
  escalationTimeoutSeconds?: number;
  onEscalationTimeout?: 'fail' | 'approve';
  onBudgetExhausted?: 'stop' | 'escalate';
  /** Whether a submitter's `escalation.onTimeout: approve` is honoured (else its escalations fail on timeout). */
  allowSubmitterApproveOnTimeout?: boolean;
}

/** What an attempt reported besides its output. */
export interface AttemptReport {
  /** Tool calls the attempt made. */
  toolCalls?: number;
  /** Error code of a failed attempt. */
  code?: string;
  /** The output the guard held for a human (`output_escalated`). */
  output?: unknown;
  /** The tool call that needs a human's approval (`approval_required`). */
  toolCall?: PendingToolCall;
}

/** A tool call held for a human's approval. */
export interface PendingToolCall {
  tool: string;
  args: Record<string, unknown>;
}

/** The single-step pattern is a one-step plan: one executor for every pattern. */
export function planOf(routed: TaskRouted['data']): Plan | null {
  if (routed.plan) return routed.plan;
  if (routed.pattern === 'plan') return null;
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

export function stop(stopReason: StopReason, kind: ErrorInfo['kind'], message: string, history: AttemptRecord[] = []): Action {
  return { type: 'stop', stopReason, reason: { kind, code: stopReason, message }, history };
}

function escalate(
  run: RunState,
  stopReason: StopReason,
  message: string,
  now: number,
  opts: { stepId?: string; allowed: DecisionAction[]; pendingOutput?: unknown; choices?: string[]; history?: AttemptRecord[]; toolCall?: PendingToolCall },
): Action {
  const escalation: PendingEscalation = {
    stopReason,
    allowed: opts.allowed,
    at: now,
    ...(opts.stepId ? { stepId: opts.stepId } : {}),
    ...(opts.pendingOutput !== undefined ? { pendingOutput: opts.pendingOutput } : {}),
    ...(opts.toolCall ? { toolCall: opts.toolCall } : {}),
    ...(opts.choices ? { choices: opts.choices } : {}),
  };
  run.escalation = escalation;
  const role = opts.stepId ? run.steps[opts.stepId]?.role : undefined;
  return { type: 'escalate', escalation, reason: { kind: 'policy', code: stopReason, message }, history: opts.history ?? [], ...(role ? { role } : {}) };
}

function planStep(run: RunState, id: string): PlanStep | undefined {
  return run.plan?.steps.find((s) => s.id === id);
}

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
function request(run: RunState, id: string, feedback: string[]): DispatchedStep {
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
function begin(run: RunState, id: string, init: Omit<StepRun, 'status' | 'attempt' | 'since' | 'history' | 'holders' | 'guidance'>): Action {
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

/** Starts every ready plan step (a debate step starts its participants); completes the run when all are done. */
function advance(run: RunState): Action[] {
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

/** Roles a step may be handed to: its declared targets, and back to the role it was planned for. */
function handoffTargets(step: PlanStep): HandoffTarget[] {
  const declared = step.handoffs ?? [];
  if (!declared.length) return [];
  const home: HandoffTarget = { role: step.role, ...(step.model ? { model: step.model } : {}), ...fallbacks(step.fallbackModels) };
  return [home, ...declared.filter((h) => h.role !== step.role)];
}

function fallbacks(models: string[] | undefined): { fallbackModels?: string[] } {
  return models?.length ? { fallbackModels: models } : {};
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

/** Once every participant of a debate has voted (or given up), decides it, asks the judge, or escalates the tie. */
function settleDebate(run: RunState, parentId: string, now: number): Action[] {
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

/** A routed task: builds its run and dispatches the first steps (or the planner agent's call). */
export function startRun(routed: TaskRouted['data'], defaults: LimitDefaults, now: number): { run: RunState; actions: Action[] } {
  const plan = planOf(routed);
  const l = routed.limits;
  // The operator's limits are ceilings: a submitter may tighten them, never loosen them.
  const operatorOnTimeout = defaults.onEscalationTimeout ?? 'fail';
  const askedOnTimeout = routed.escalation?.onTimeout;
  const limits: RunLimits = {
    maxSteps: atMost(l?.maxSteps, defaults.maxSteps),
    maxAttemptsPerStep: atMost(l?.maxAttemptsPerStep, defaults.maxAttemptsPerStep),
    maxReplans: atMost(l?.maxReplans, defaults.maxReplans ?? 2),
    maxToolCalls: atMost(l?.maxToolCalls, defaults.maxToolCalls ?? 20),
    maxHandoffs: atMost(l?.maxHandoffs, defaults.maxHandoffs ?? 3),
    deadlineAt: now + 1000 * atMost(l?.deadlineSeconds, defaults.deadlineSeconds),
    escalationTimeoutSeconds: atMost(routed.escalation?.timeoutSeconds, defaults.escalationTimeoutSeconds ?? 86_400),
    // Auto-approving what a human should have looked at is the operator's call, not the submitter's.
    onEscalationTimeout: askedOnTimeout === 'approve' && !defaults.allowSubmitterApproveOnTimeout ? operatorOnTimeout : (askedOnTimeout ?? operatorOnTimeout),
    ...(l?.maxCostUsd !== undefined ? { maxCostMicros: usdToMicros(l.maxCostUsd) } : {}),
    ...(defaults.onBudgetExhausted ? { onBudgetExhausted: defaults.onBudgetExhausted } : {}),
  };
  const run: RunState = {
    pattern: routed.pattern,
    plan,
    revision: plan ? 1 : 0,
    task: {
      taskType: routed.taskType,
      instruction: routed.instruction,
      input: routed.input,
      ...(routed.needs ? { needs: routed.needs } : {}),
      ...(routed.routingPolicy ? { routingPolicy: routed.routingPolicy } : {}),
    },
    limits,
    steps: {},
    fingerprints: [],
    planFingerprints: [],
    counters: { stepsRun: 0, replans: 0, toolCalls: 0, handoffs: 0 },
    previous: {},
  };
  if (!plan) {
    run.planner = { model: routed.model, ...fallbacks(routed.fallbackModels) };
    return { run, actions: [beginPlanning(run, 1, [])] };
  }
  if (plan.steps.length > limits.maxSteps) {
    return { run, actions: [stop('max_steps', 'policy', `the plan has ${plan.steps.length} steps; the limit is ${limits.maxSteps}`)] };
  }
  return { run, actions: advance(run) };
}

/** The submitter's value when it is lower than the operator's, else the operator's. */
function atMost(asked: number | undefined, ceiling: number): number {
  return asked === undefined ? ceiling : Math.min(asked, ceiling);
}

function beginPlanning(run: RunState, revision: number, feedback: string[]): Action {
  const planner = run.planner;
  if (!planner) return stop('invalid_plan', 'system', 'the task has no planner model');
  const action = begin(run, planningStepId(revision), { kind: 'planning', role: 'planner', ...planner });
  if (action.type === 'dispatch' && feedback.length) action.step.feedback = feedback;
  return action;
}

function overdue(run: RunState, now: number): Action | null {
  return now > run.limits.deadlineAt ? stop('deadline_exceeded', 'policy', `the task passed its deadline (${new Date(run.limits.deadlineAt).toISOString()})`) : null;
}

/** The step an event is about, if the event is current; else why it is ignored. */
function current(run: RunState, stepId: string, attempt: number, what: string): StepRun | Action {
  const step = run.steps[stepId];
  if (!step || step.status !== 'running' || step.attempt !== attempt) {
    return { type: 'ignore', why: `${what} of ${stepId} attempt ${attempt} does not match the run (${step ? `${step.status} attempt ${step.attempt}` : 'unknown step'})` };
  }
  return step;
}

const isAction = (x: StepRun | Action): x is Action => 'type' in x;

/** A step's output was approved. */
export function onApproved(run: RunState, stepId: string, attempt: number, output: unknown, now: number, report: AttemptReport = {}): Action[] {
  const late = overdue(run, now);
  if (late) return [late];
  const step = current(run, stepId, attempt, 'approval');
  if (isAction(step)) return [step];
  run.counters.toolCalls += report.toolCalls ?? 0;
  switch (step.kind) {
    case 'planning': {
      const read = readProposedPlan(output);
      if (!read.ok) return onSetback(run, stepId, attempt, 'blocked', `invalid_plan: ${read.problems}`, now);
      const fp = planFingerprint(read.plan);
      if (run.planFingerprints.includes(fp)) {
        return [stop('loop_detected', 'policy', 'the planner proposed a plan it had already proposed')];
      }
      run.planFingerprints.push(fp);
      step.status = 'done';
      step.output = read.plan;
      const revision = planningRevision(stepId) ?? run.revision + 1;
      run.awaitingRevision = revision;
      return [{ type: 'propose', revision, plan: read.plan }];
    }
    case 'participant':
      step.status = 'done';
      step.output = output;
      return settleDebate(run, step.parent ?? '', now);
    case 'judge': {
      step.status = 'done';
      step.output = output;
      const parent = planStep(run, step.parent ?? '');
      if (!parent?.debate) return [{ type: 'ignore', why: `debate ${step.parent ?? '?'} is not in the plan` }];
      const verdict = output as { choice?: string; reason?: string };
      const cast = ballots(run, parent);
      return finish(run, parent.id, debateOutcome(parent.debate, cast, String(verdict.choice), 'judge', verdict.reason));
    }
    case 'step': {
      if (planStep(run, stepId)?.approval) {
        step.status = 'waiting';
        step.output = output;
        return [
          escalate(run, 'approval_required', `step ${stepId} needs a human's approval before the task goes on`, now, {
            stepId,
            allowed: ['approve', 'reject', 'edit'],
            pendingOutput: output,
          }),
        ];
      }
      return finish(run, stepId, output);
    }
  }
}

/** A step's attempt was blocked by the output check or failed in the agent. */
export function onSetback(run: RunState, stepId: string, attempt: number, outcome: AttemptRecord['outcome'], reason: string, now: number, report: AttemptReport = {}): Action[] {
  const late = overdue(run, now);
  if (late) return [late];
  const step = run.steps[stepId];
  if (!step || step.status !== 'running') return [{ type: 'ignore', why: `${outcome} for ${stepId}, which is not running` }];
  if (step.attempt === attempt) run.counters.toolCalls += report.toolCalls ?? 0;
  if (report.code === 'max_tool_calls' && step.attempt === attempt) {
    return [stop('max_tool_calls', 'policy', `step ${stepId}: the task used up its ${run.limits.maxToolCalls} tool calls`, step.history)];
  }
  if (report.code === 'output_blocked' && step.attempt === attempt) {
    // The output guard's `block` action: another attempt would be shown the same material.
    return [stop('output_blocked', 'policy', `step ${stepId}: ${reason}`, step.history)];
  }
  if (report.code === 'output_escalated' && step.attempt === attempt) {
    // The output guard's `escalate` action: a human sees the output and decides.
    step.status = 'waiting';
    return [escalate(run, 'approval_required', `step ${stepId}: ${reason}`, now, { stepId, allowed: ['approve', 'reject', 'edit'], pendingOutput: report.output })];
  }
  if (report.code === 'approval_required' && step.attempt === attempt) {
    // A tool call needs a human first: approving grants that very call and reruns the step.
    return [escalate(run, 'approval_required', `step ${stepId}: ${reason}`, now, { stepId, allowed: ['approve', 'reject'], history: step.history, ...(report.toolCall ? { toolCall: report.toolCall } : {}) })];
  }
  if (report.code === 'budget_exhausted' && step.attempt === attempt) {
    // Retrying cannot help: every attempt would meet the same budget.
    const message = `step ${stepId}: ${reason}`;
    if (run.limits.onBudgetExhausted === 'escalate') {
      return [escalate(run, 'budget_exhausted', message, now, { stepId, allowed: ['answer', 'reject'], history: step.history })];
    }
    return [stop('budget_exhausted', 'policy', message, step.history)];
  }
  if (!step.history.some((h) => h.attempt === attempt)) step.history.push({ attempt, outcome, reason });
  const used = step.attempt - step.since + 1;
  const move = nextMove({ attempt: step.attempt, used, maxAttempts: run.limits.maxAttemptsPerStep }, attempt, step.history.filter((h) => h.attempt >= step.since));
  if (move.action === 'ignore') return [{ type: 'ignore', why: move.why }];
  if (move.action === 'escalate') return exhausted(run, stepId, step, move.reason, now);
  // Cascade: a rejected answer moves a plan step up to the next better model, if there is one.
  const cascade = outcome === 'blocked' && step.kind === 'step' ? planStep(run, stepId)?.cascadeModels ?? [] : [];
  step.model = cascade[Math.min(move.attempt - step.since - 1, cascade.length - 1)] ?? step.model;
  step.attempt = move.attempt;
  return [{ type: 'dispatch', step: request(run, stepId, move.feedback) }];
}

/** A step ran out of attempts: a voter abstains, a failed plan step is replanned while replans remain, else a human decides. */
function exhausted(run: RunState, stepId: string, step: StepRun, reason: ErrorInfo, now: number): Action[] {
  if (step.kind === 'participant') {
    step.status = 'done';
    step.output = null;
    return settleDebate(run, step.parent ?? '', now);
  }
  if (step.kind === 'step' && run.pattern === 'plan') {
    if (run.counters.replans >= run.limits.maxReplans) {
      return [
        escalate(run, 'max_replans', `step ${stepId} failed for good and the task has used its ${run.limits.maxReplans} replans; a human must decide`, now, {
          stepId,
          allowed: ['approve', 'answer', 'edit', 'reject'],
          history: step.history,
        }),
      ];
    }
    return replan(run, stepId, step);
  }
  // A planner agent that keeps writing unusable plans is named as such.
  const last = step.history[step.history.length - 1];
  const why: StopReason = step.kind === 'planning' && last?.reason.startsWith('invalid_plan') ? 'invalid_plan' : 'attempts_exhausted';
  return [
    escalate(run, why, `step ${stepId}: ${reason.message}`, now, {
      stepId,
      allowed: ['approve', 'answer', 'edit', 'reject'],
      history: step.history,
    }),
  ];
}

/** Asks the planner agent for a new plan after a step failed for good; what was done so far is passed along. */
function replan(run: RunState, failedId: string, failed: StepRun): Action[] {
  run.counters.replans += 1;
  for (const s of run.plan?.steps ?? []) {
    const st = run.steps[s.id];
    if (st?.status === 'done') run.previous[s.id] = st.output;
    // Steps of the old plan still running are abandoned: their late outputs are ignored.
    else if (st) st.status = 'done';
  }
  failed.status = 'done';
  const last = failed.history[failed.history.length - 1];
  const feedback = [`Step ${failedId} (${failed.role}) failed after ${failed.attempt - failed.since + 1} attempts${last ? `: ${last.reason}` : ''}. Plan around it.`];
  return [beginPlanning(run, run.revision + 1, feedback)];
}

/** The router chose models for the proposed plan. */
export function onPlanRouted(run: RunState, revision: number, plan: Plan | undefined, error: ErrorInfo | undefined, now: number): Action[] {
  const late = overdue(run, now);
  if (late) return [late];
  if (run.awaitingRevision !== revision) return [{ type: 'ignore', why: `plan revision ${revision} is not the one awaited (${run.awaitingRevision ?? 'none'})` }];
  delete run.awaitingRevision;
  if (!plan) return [stop('no_eligible_model', error?.kind ?? 'system', error?.message ?? `no model can run plan revision ${revision}`)];
  run.plan = reviseIds(plan, revision);
  run.revision = revision;
  if (run.plan.steps.length + run.counters.stepsRun > run.limits.maxSteps) {
    return [stop('max_steps', 'policy', `plan revision ${revision} has ${run.plan.steps.length} steps; with ${run.counters.stepsRun} run so far that exceeds the limit of ${run.limits.maxSteps}`)];
  }
  return advance(run);
}

/**
 * A specialist handed its step to another role. Allowed only to the step's declared
 * targets, within the hand-off limit, and never back to a role that already held the
 * step (agents handing work back and forth make no progress).
 */
export function onHandoff(run: RunState, stepId: string, attempt: number, toRole: AgentRole, handoff: { reason: string; note: string }, now: number, report: AttemptReport = {}): Action[] {
  const late = overdue(run, now);
  if (late) return [late];
  const step = current(run, stepId, attempt, 'hand-off');
  if (isAction(step)) return [step];
  run.counters.toolCalls += report.toolCalls ?? 0;
  if (step.holders.includes(toRole)) {
    return [stop('no_progress', 'policy', `step ${stepId} is being handed back and forth (${[...step.holders, toRole].join(' → ')})`)];
  }
  const p = planStep(run, stepId);
  const target = p ? handoffTargets(p).find((h) => h.role === toRole) : undefined;
  if (!target?.model) return onSetback(run, stepId, attempt, 'blocked', `handoff_not_allowed: ${step.role} may not hand this step to ${toRole}`, now);
  if (run.counters.handoffs >= run.limits.maxHandoffs) {
    return [stop('no_progress', 'policy', `step ${stepId}: the task used its ${run.limits.maxHandoffs} hand-offs without an answer`)];
  }
  if (run.counters.stepsRun >= run.limits.maxSteps) return [stop('max_steps', 'policy', `the task reached its limit of ${run.limits.maxSteps} steps`)];
  run.counters.handoffs += 1;
  run.counters.stepsRun += 1;
  const from = step.role;
  Object.assign(step, {
    role: toRole,
    model: target.model,
    attempt: attempt + 1,
    since: attempt + 1,
    holders: [...step.holders, toRole],
    handoff: { from, reason: handoff.reason, note: handoff.note },
  });
  if (target.fallbackModels?.length) step.fallbackModels = target.fallbackModels;
  else delete step.fallbackModels;
  return [{ type: 'dispatch', step: request(run, stepId, []) }];
}

/** The deadline sweep found the task overdue. */
export function onDeadline(run: RunState, now: number): Action[] {
  return [overdue(run, now) ?? { type: 'ignore', why: 'not overdue' }];
}

/** Exposed for the decision logic: re-dispatches a step with a fresh attempt budget. */
export function restartStep(run: RunState, stepId: string, guidance?: string): Action[] {
  const step = run.steps[stepId];
  step.status = 'running';
  step.attempt += 1;
  step.since = step.attempt;
  if (guidance) step.guidance.push(guidance);
  const last = step.history[step.history.length - 1];
  return [{ type: 'dispatch', step: request(run, stepId, last ? [`Attempt ${last.attempt} was ${last.outcome}: ${last.reason}`] : []) }];
}
