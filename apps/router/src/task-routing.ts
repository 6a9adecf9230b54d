import type { AgentRole, DebateSpec, Plan, RoutingDecision, RoutingPolicy, TaskRouted, TaskSpec } from '@baton/contracts';
import type { ModelSpec } from '@baton/llm';
import { estimatePromptTokens } from './call-profile';
import { chooseModel, type ModelChoice } from './model-choice';
import { routePlan, type PlanCallContext } from './plan-routing';
import { chooseRole, instructionFor } from './role-rules';

/** What routing one task depends on besides the task. */
export interface TaskRoutingContext {
  /** The catalog. */
  models: readonly ModelSpec[];
  /** The task's policy. */
  policy: RoutingPolicy;
  /** Models whose circuit breaker is open. */
  openBreakers: ReadonlySet<string>;
  /** Expected answer size per call. */
  expectedOutputTokens: number;
}

/** What task.routed says about the work, besides the task's own fields and its pattern. */
export type Routing = Pick<TaskRouted['data'], 'role' | 'model' | 'instruction' | 'fallbackModels' | 'cascadeModels' | 'plan' | 'decision'>;

/** A task's routing, or the decision showing that no model can serve one of its calls. */
export type TaskRouting = { ok: true; routing: Routing } | { ok: false; decision: RoutingDecision; message: string };

/** The task fields routing reads. */
export type RoutableTask = Pick<TaskSpec, 'taskType' | 'instruction' | 'input' | 'outputSchema' | 'needs'>;

/** Step id of a one-step plan built for hand-offs. */
export const MAIN_STEP_ID = 'main';
/** Step id of a debate task's one step. */
export const DEBATE_STEP_ID = 'debate';

function planContext(task: RoutableTask, ctx: TaskRoutingContext): PlanCallContext {
  return {
    ...(task.needs ? { needs: task.needs } : {}),
    input: task.input,
    expectedOutputTokens: ctx.expectedOutputTokens,
    openBreakers: ctx.openBreakers,
  };
}

/** The model choice's fields of task.routed. */
function modelFields(choice: Pick<ModelChoice, 'fallbackModels' | 'cascadeModels'>): Pick<Routing, 'fallbackModels' | 'cascadeModels'> {
  return {
    ...(choice.fallbackModels.length ? { fallbackModels: choice.fallbackModels } : {}),
    ...(choice.cascadeModels.length ? { cascadeModels: choice.cascadeModels } : {}),
  };
}

/** One call of `role` outside any plan: the single specialist, or the planner. */
function routeCall(task: RoutableTask, ctx: TaskRoutingContext, role: AgentRole, instruction: string, structuredOutput: boolean): TaskRouting {
  const choice = chooseModel(
    ctx.models,
    {
      ...(task.needs ? { needs: task.needs } : {}),
      structuredOutput,
      promptTokens: estimatePromptTokens(instruction, task.input),
      expectedOutputTokens: ctx.expectedOutputTokens,
      openBreakers: ctx.openBreakers,
    },
    ctx.policy,
  );
  if (choice.model === null) return { ok: false, decision: choice.decision, message: choice.decision.reason };
  return { ok: true, routing: { role, model: choice.model, instruction, ...modelFields(choice), decision: choice.decision } };
}

/** A routed plan as task.routed: its first step's role and models up front, the plan carried whole. */
function routeAsPlan(plan: Plan, task: RoutableTask, ctx: TaskRoutingContext, instruction: string, failurePrefix = ''): TaskRouting {
  const routed = routePlan(plan, ctx.models, planContext(task, ctx), ctx.policy);
  if (!routed.ok) return { ok: false, decision: routed.decision, message: `${failurePrefix}${routed.decision.reason}` };
  const [first] = routed.plan.steps;
  if (!first?.model) throw new Error('a routed plan has no first step with a model');
  return {
    ok: true,
    routing: {
      role: first.role,
      model: first.model,
      instruction,
      ...modelFields({ fallbackModels: first.fallbackModels ?? [], cascadeModels: first.cascadeModels ?? [] }),
      plan: routed.plan,
      decision: routed.decision,
    },
  };
}

/**
 * The single pattern: the task type's specialist on one call. With hand-off roles, a
 * one-step plan whose step lists them, each with its own model, so the specialist can pass
 * the work on.
 */
export function routeSingle(task: RoutableTask, ctx: TaskRoutingContext, handoffRoles: readonly AgentRole[]): TaskRouting {
  const role = chooseRole(task.taskType);
  const instruction = instructionFor(task.taskType, task.instruction);
  // Handing off to oneself is no hand-off.
  const targets = handoffRoles.filter((r) => r !== role);
  if (!targets.length) return routeCall(task, ctx, role, instruction, task.outputSchema !== undefined);
  const plan: Plan = {
    steps: [
      {
        id: MAIN_STEP_ID,
        role,
        instruction,
        ...(task.outputSchema ? { outputSchema: task.outputSchema } : {}),
        handoffs: targets.map((r) => ({ role: r })),
      },
    ],
  };
  return routeAsPlan(plan, task, ctx, instruction);
}

/**
 * The plan pattern: the planner agent's call (a structured plan), with no plan yet; the
 * planner publishes `plan.proposed` and the router routes that plan's steps. The same
 * model replans.
 */
export function routeForPlanner(task: RoutableTask, ctx: TaskRoutingContext): TaskRouting {
  return routeCall(task, ctx, 'planner', instructionFor(task.taskType, task.instruction), true);
}

/**
 * The debate pattern: one step whose participants vote and whose judge (the step's role
 * and model) breaks ties. `debate` names the participants; routing gives each a model.
 */
export function routeDebate(task: RoutableTask, ctx: TaskRoutingContext, debate: DebateSpec): TaskRouting {
  const instruction = instructionFor(task.taskType, task.instruction);
  const plan: Plan = { steps: [{ id: DEBATE_STEP_ID, role: 'judge', instruction, debate }] };
  return routeAsPlan(plan, task, ctx, instruction);
}

/** The workflow pattern: every step of the workflow's plan. */
export function routeWorkflow(task: RoutableTask, ctx: TaskRoutingContext, workflow: { name: string; description: string; plan: Plan }): TaskRouting {
  return routeAsPlan(workflow.plan, task, ctx, task.instruction ?? workflow.description, `workflow ${workflow.name}, `);
}
