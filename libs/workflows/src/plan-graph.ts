import type { Plan, PlanStep } from '@baton/contracts';

/** Problems that make a plan unusable; empty when it is sound. */
export function planProblems(plan: Plan): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const s of plan.steps) {
    if (ids.has(s.id)) problems.push(`step id ${s.id} is used twice`);
    ids.add(s.id);
  }
  for (const s of plan.steps) {
    for (const d of s.dependsOn ?? []) {
      if (!ids.has(d)) problems.push(`step ${s.id} depends on unknown step ${d}`);
      if (d === s.id) problems.push(`step ${s.id} depends on itself`);
    }
  }
  if (plan.resultStep !== undefined && !ids.has(plan.resultStep)) problems.push(`result step ${plan.resultStep} is not a step`);
  if (!problems.length && topologicalOrder(plan) === null) problems.push('the steps depend on each other in a cycle');
  return problems;
}

/** Step ids in an order where every step comes after what it depends on; null on a cycle. */
export function topologicalOrder(plan: Plan): string[] | null {
  const pending = new Map(plan.steps.map((s) => [s.id, new Set(s.dependsOn ?? [])]));
  const order: string[] = [];
  while (pending.size) {
    const ready = [...pending].filter(([, deps]) => [...deps].every((d) => !pending.has(d))).map(([id]) => id);
    if (!ready.length) return null;
    for (const id of ready) {
      order.push(id);
      pending.delete(id);
    }
  }
  return order;
}

/** Steps not started whose dependencies are all done, in plan order. */
export function readySteps(plan: Plan, started: ReadonlySet<string>, done: ReadonlySet<string>): PlanStep[] {
  return plan.steps.filter((s) => !started.has(s.id) && (s.dependsOn ?? []).every((d) => done.has(d)));
}

/** The step whose output is the task's result: `resultStep`, else the last step. */
export function resultStepId(plan: Plan): string {
  return plan.resultStep ?? plan.steps[plan.steps.length - 1].id;
}
