import { usdToMicros } from '@baton/budget';
import type { Plan, TaskRouted } from '@baton/contracts';
import { advance } from './advance';
import { beginPlanning } from './dispatch';
import { stop } from './outcomes';
import { fallbacks } from './plan-steps';
import type { Action, LimitDefaults, RunLimits, RunState } from './types';

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
