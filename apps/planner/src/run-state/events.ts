import type { AgentRole, ErrorInfo, Plan } from '@baton/contracts';
import { debateOutcome } from '../debate';
import { planFingerprint, planningRevision, readProposedPlan, reviseIds } from '../planning';
import { advance, finish, settleDebate } from './advance';
import { request } from './dispatch';
import { escalate, overdue, stop } from './outcomes';
import { ballots, handoffTargets, planStep } from './plan-steps';
import { onSetback } from './setback';
import type { Action, AttemptReport, RunState, StepRun } from './types';

/* What the run does on each event of a step: approved, routed, handed off, overdue, restarted. */

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
