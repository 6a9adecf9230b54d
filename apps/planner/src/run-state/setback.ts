import type { ErrorInfo, StopReason } from '@baton/contracts';
import { nextMove, type AttemptRecord } from '../step-policy';
import { settleDebate } from './advance';
import { beginPlanning, request } from './dispatch';
import { escalate, overdue, stop } from './outcomes';
import { planStep } from './plan-steps';
import type { Action, AttemptReport, RunState, StepRun } from './types';

/* A failed or blocked attempt: guard actions, a retry, or, attempts used up, a replan or a human. */

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
