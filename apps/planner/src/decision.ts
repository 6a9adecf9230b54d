import type { TaskDecision } from '@baton/contracts';
import { debateOutcome } from './debate';
import { ballots, finish, onApproved, restartStep, stop, type Action, type RunState } from './run-state';

/** Who decides when nobody did in time. */
export const TIMEOUT_DECIDER = 'timeout';

/**
 * Applies a human's decision (or the escalation's timeout) to a run waiting on that
 * escalation, and says what to do next. The caller makes sure it is applied once: the
 * escalation record's compare-and-set and the run's pending escalation id.
 *
 * - approve: a pending output (approval, debate tie) is accepted; a tool call held for
 *   approval is granted and its step reruns; a step out of attempts gets a fresh set of
 *   attempts;
 * - answer: the step is retried with the human's answer as guidance; for a debate tie the
 *   answer is the chosen option;
 * - edit: the given output becomes the step's output;
 * - reject: the task fails.
 * A timeout's `approve` with nothing pending fails the task: a timeout never retries.
 */
export function onDecision(run: RunState, decision: TaskDecision['data'], now: number): Action[] {
  const pending = run.escalation;
  if (!pending || pending.id !== decision.escalationId) {
    return [{ type: 'ignore', why: `decision for escalation ${decision.escalationId}, but the run waits on ${pending?.id ?? 'none'}` }];
  }
  if (!pending.allowed.includes(decision.action)) {
    return [{ type: 'ignore', why: `decision ${decision.action} is not allowed for this escalation (${pending.allowed.join(', ')})` }];
  }
  const byTimeout = decision.decidedBy === TIMEOUT_DECIDER;
  delete run.escalation;
  // Time spent waiting for a human does not count against the task's deadline.
  run.limits.deadlineAt += Math.max(0, now - pending.at);
  const stepId = pending.stepId;
  const step = stepId ? run.steps[stepId] : undefined;

  if (decision.action === 'reject' || !stepId || !step) {
    return byTimeout
      ? [stop('escalation_timeout', 'policy', `nobody decided escalation ${decision.escalationId} in time; the declared outcome is to fail`)]
      : [stop('rejected_by_human', 'policy', `${decision.decidedBy} rejected the task${decision.comment ? `: ${decision.comment}` : ''}`)];
  }
  switch (decision.action) {
    case 'approve':
      if (pending.pendingOutput !== undefined) return finish(run, stepId, pending.pendingOutput);
      if (byTimeout) return [stop('escalation_timeout', 'policy', `nobody decided escalation ${decision.escalationId} in time and there is no output to approve`)];
      if (pending.toolCall) return [{ type: 'grant', toolCall: pending.toolCall, decidedBy: decision.decidedBy }, ...restartStep(run, stepId)];
      return restartStep(run, stepId);
    case 'answer': {
      const answer = decision.answer ?? '';
      if (pending.choices) {
        if (!pending.choices.includes(answer)) {
          run.escalation = pending;
          return [{ type: 'ignore', why: `answer ${answer} is not one of the choices (${pending.choices.join(', ')})` }];
        }
        return finish(run, stepId, humanDebateOutcome(run, stepId, answer, decision.comment));
      }
      return restartStep(run, stepId, answer);
    }
    case 'edit':
      if (step.kind === 'step') return finish(run, stepId, decision.output);
      // A planning or judge step's output has meaning (a plan, a verdict): take it as if the agent had given it.
      step.status = 'running';
      return onApproved(run, stepId, step.attempt, decision.output, now);
  }
}

function humanDebateOutcome(run: RunState, stepId: string, choice: string, comment: string | undefined): unknown {
  const step = run.plan?.steps.find((s) => s.id === stepId);
  if (!step?.debate) return { decision: choice, decidedBy: 'human' };
  return debateOutcome(step.debate, ballots(run, step), choice, 'human', comment ?? 'picked by a human after a tie');
}
