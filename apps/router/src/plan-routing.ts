import type { Plan, PlanStep, RoutingDecision, RoutingPolicy, TaskInput, TaskNeeds } from '@baton/contracts';
import type { ModelSpec } from '@baton/llm';
import { estimatePromptTokens } from './call-profile';
import { chooseModel, type ModelChoice } from './model-choice';

/** What every step of a task's plan shares when its model is chosen. */
export interface PlanCallContext {
  /** The task's needs; they apply to every step. */
  needs?: TaskNeeds;
  /** The task's input, part of every step's prompt. */
  input: TaskInput;
  /** Expected answer size per step. */
  expectedOutputTokens: number;
  /** Models whose circuit breaker is open. */
  openBreakers?: ReadonlySet<string>;
}

/** A plan with a model for each step, or the first step no model can serve. */
export type PlanRouting =
  | {
      ok: true;
      /** The plan, each step with its model, fallbacks and (cascade) models to move up to. */
      plan: Plan;
      /** One decision for the task: the first step's candidates, every step's reason. */
      decision: RoutingDecision;
    }
  | {
      ok: false;
      /** The step no model can serve. */
      stepId: string;
      /** That step's decision, saying why. */
      decision: RoutingDecision;
    };

/** Fills a step with its choice; a model named in the definition is replaced, since models are the router's call. */
function routedStep(step: PlanStep, choice: ModelChoice & { model: string }): PlanStep {
  const { model: _pinned, fallbackModels: _f, cascadeModels: _c, ...rest } = step;
  return {
    ...rest,
    model: choice.model,
    ...(choice.fallbackModels.length ? { fallbackModels: choice.fallbackModels } : {}),
    ...(choice.cascadeModels.length ? { cascadeModels: choice.cascadeModels } : {}),
  };
}

/**
 * Chooses a model for every step of a plan under one policy. Each step is its own call:
 * its role's instruction and its output schema (which makes `json` a need) on top of the
 * task's needs, its prompt grown by the outputs of the steps it depends on.
 */
export function routePlan(plan: Plan, models: readonly ModelSpec[], ctx: PlanCallContext, policy: RoutingPolicy): PlanRouting {
  const steps: PlanStep[] = [];
  const reasons: string[] = [];
  let first: RoutingDecision | undefined;
  for (const step of plan.steps) {
    const choice = chooseModel(
      models,
      {
        ...(ctx.needs ? { needs: ctx.needs } : {}),
        structuredOutput: step.outputSchema !== undefined,
        promptTokens: estimatePromptTokens(step.instruction, ctx.input, step.dependsOn?.length ?? 0, ctx.expectedOutputTokens),
        expectedOutputTokens: ctx.expectedOutputTokens,
        ...(ctx.openBreakers ? { openBreakers: ctx.openBreakers } : {}),
      },
      policy,
    );
    if (choice.model === null) return { ok: false, stepId: step.id, decision: { ...choice.decision, reason: `step ${step.id}: ${choice.decision.reason}` } };
    first ??= choice.decision;
    steps.push(routedStep(step, { ...choice, model: choice.model }));
    reasons.push(`${step.id}: ${choice.decision.reason}`);
  }
  // A Plan has at least one step, so `first` is set; the fallback keeps the types honest.
  const decision: RoutingDecision = { policy, candidates: first?.candidates ?? [], reason: reasons.join('; ') };
  return { ok: true, plan: { ...plan, steps }, decision };
}
