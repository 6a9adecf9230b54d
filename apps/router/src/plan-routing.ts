import type { DebateParticipant, HandoffTarget, Plan, PlanRouted, PlanStep, RoutingDecision, RoutingPolicy, TaskInput, TaskNeeds } from '@baton/contracts';
import type { ModelSpec } from '@baton/llm';
import { estimatePromptTokens } from './call-profile';
import { chooseModel, noModelError, type ModelChoice } from './model-choice';

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

type Chosen = ModelChoice & { model: string };

/** Fills a step with its choice; a model named in the definition is replaced, since models are the router's call. */
function routedStep(step: PlanStep, choice: Chosen): PlanStep {
  const { model: _pinned, fallbackModels: _f, cascadeModels: _c, ...rest } = step;
  return {
    ...rest,
    model: choice.model,
    ...(choice.fallbackModels.length ? { fallbackModels: choice.fallbackModels } : {}),
    ...(choice.cascadeModels.length ? { cascadeModels: choice.cascadeModels } : {}),
  };
}

/** A hand-off target or a debate participant with `model`, the others of `ladder` as its fallbacks. */
function withModel<T extends HandoffTarget | DebateParticipant>(ref: T, model: string, ladder: readonly string[]): T {
  const { model: _pinned, fallbackModels: _f, ...rest } = ref;
  const fallbackModels = ladder.filter((m) => m !== model);
  return { ...rest, model, ...(fallbackModels.length ? { fallbackModels } : {}) } as T;
}

/** The chosen model, then its fallbacks: the eligible models in policy order. */
const ladderOf = (choice: Chosen): string[] => [choice.model, ...choice.fallbackModels];

/**
 * Chooses a model for every step of a plan under one policy. Each step is its own call:
 * its role's instruction and its output schema (which makes `json` a need) on top of the
 * task's needs, its prompt grown by the outputs of the steps it depends on. (The agent
 * offers its input lookup tool only to models that have `tools`, so structured input
 * needs no particular model.)
 *
 * Two kinds of step hold more than one call:
 * - hand-off targets continue the step (same instruction and output schema, plus the note
 *   of the specialist handing off); every target gets the model chosen for that call.
 *   The step's agent and its targets get a hand-off tool, so their models need `tools`;
 * - debate participants each answer with a vote (JSON); they take the eligible models in
 *   policy order, one each, wrapping round when there are fewer models than voters, so
 *   that votes are as independent as the catalog allows. The step's own call is the
 *   judge's, which reads every vote and answers with a choice (JSON too).
 */
export function routePlan(plan: Plan, models: readonly ModelSpec[], ctx: PlanCallContext, policy: RoutingPolicy): PlanRouting {
  const steps: PlanStep[] = [];
  const reasons: string[] = [];
  let first: RoutingDecision | undefined;
  for (const step of plan.steps) {
    const upstream = step.dependsOn?.length ?? 0;
    // A step that may be handed off gives its agent (and each target, who may hand back) a hand-off tool.
    const handsOff = (step.handoffs?.length ?? 0) > 0;
    const choose = (structuredOutput: boolean, extraInputs: number, tools = false): ModelChoice =>
      chooseModel(
        models,
        {
          ...(ctx.needs ? { needs: ctx.needs } : {}),
          structuredOutput,
          ...(tools ? { offersTools: true } : {}),
          promptTokens: estimatePromptTokens(step.instruction, ctx.input, upstream + extraInputs, ctx.expectedOutputTokens),
          expectedOutputTokens: ctx.expectedOutputTokens,
          ...(ctx.openBreakers ? { openBreakers: ctx.openBreakers } : {}),
        },
        policy,
      );
    const unserved = (what: string, choice: ModelChoice): PlanRouting => ({
      ok: false,
      stepId: step.id,
      decision: { ...choice.decision, reason: `step ${what}: ${choice.decision.reason}` },
    });

    const voters = step.debate?.participants.length ?? 0;
    // A judge answers with a choice in JSON.
    const own = choose(step.outputSchema !== undefined || step.debate !== undefined, voters, handsOff);
    if (own.model === null) return unserved(step.id, own);
    first ??= own.decision;
    const routed = routedStep(step, { ...own, model: own.model });
    reasons.push(`${step.id}: ${own.decision.reason}`);

    if (step.handoffs?.length) {
      // The note handed over weighs about as much as one upstream output.
      const target = choose(step.outputSchema !== undefined, 1, true);
      const targetModel = target.model;
      if (targetModel === null) return unserved(`${step.id} hand-offs`, target);
      const ladder = ladderOf({ ...target, model: targetModel });
      routed.handoffs = step.handoffs.map((h) => withModel(h, targetModel, ladder));
      reasons.push(`${step.id} hand-offs to ${step.handoffs.map((h) => h.role).join(', ')}: ${target.decision.reason}`);
    }

    if (step.debate) {
      const vote = choose(true, 0);
      if (vote.model === null) return unserved(`${step.id} voters`, vote);
      const ladder = ladderOf({ ...vote, model: vote.model });
      const participants = step.debate.participants.map((p, i) => withModel(p, ladder[i % ladder.length], ladder));
      routed.debate = { ...step.debate, participants };
      const who = participants.map((p) => `${p.role} on ${p.model}`).join(', ');
      reasons.push(`${step.id} voters: ${who} (the eligible models in ${policy} order, one each)`);
    }
    steps.push(routed);
  }
  // A Plan has at least one step, so `first` is set; the fallback keeps the types honest.
  const decision: RoutingDecision = { policy, candidates: first?.candidates ?? [], reason: reasons.join('; ') };
  return { ok: true, plan: { ...plan, steps }, decision };
}

/** The router's answer to a proposed plan: the routed plan, or why one of its steps has no model. */
export function planRoutedData(revision: number, routed: PlanRouting): PlanRouted['data'] {
  if (routed.ok) return { revision, plan: routed.plan, decision: routed.decision };
  return { revision, decision: routed.decision, error: noModelError(routed.decision, routed.decision.reason) };
}
