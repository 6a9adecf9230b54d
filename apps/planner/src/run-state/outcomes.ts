import type { DecisionAction, ErrorInfo, StopReason } from '@baton/contracts';
import type { AttemptRecord } from '../step-policy';
import type { Action, PendingEscalation, PendingToolCall, RunState } from './types';

/* The actions that end a run or hold it for a human. */

/** Ends the run: the task fails with `stopReason`. */
export function stop(stopReason: StopReason, kind: ErrorInfo['kind'], message: string, history: AttemptRecord[] = []): Action {
  return { type: 'stop', stopReason, reason: { kind, code: stopReason, message }, history };
}

/** Holds the run for a human: records the escalation the run now waits on. */
export function escalate(
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

/** Stops a run past its deadline; null while it is in time. */
export function overdue(run: RunState, now: number): Action | null {
  return now > run.limits.deadlineAt ? stop('deadline_exceeded', 'policy', `the task passed its deadline (${new Date(run.limits.deadlineAt).toISOString()})`) : null;
}
