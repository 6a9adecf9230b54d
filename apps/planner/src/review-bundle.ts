import type { ReviewBundle } from '@baton/contracts';
import type { Action, RunState } from './run-state';

/** What a reviewer sees: the question, what was tried, the outputs so far and what the task has cost. */
export function reviewBundle(run: RunState, a: Extract<Action, { type: 'escalate' }>, spentMicros: number): ReviewBundle {
  const { escalation } = a;
  const stepOutputs: Record<string, unknown> = { ...run.previous };
  for (const s of run.plan?.steps ?? []) {
    const st = run.steps[s.id];
    if (st?.status === 'done') stepOutputs[s.id] = st.output;
  }
  return {
    ...(escalation.stepId ? { stepId: escalation.stepId } : {}),
    ...(a.role ? { role: a.role } : {}),
    question: question(a),
    history: a.history.map((h) => ({ attempt: h.attempt, outcome: h.outcome, reason: h.reason })),
    stepOutputs,
    ...(escalation.pendingOutput !== undefined ? { pendingOutput: escalation.pendingOutput } : {}),
    ...(escalation.choices ? { choices: escalation.choices } : {}),
    spentMicros,
    stepsRun: run.counters.stepsRun,
  };
}

function question(a: Extract<Action, { type: 'escalate' }>): string {
  switch (a.escalation.stopReason) {
    case 'approval_required':
      return `Approve the output of step ${a.escalation.stepId ?? '?'}, edit it, or reject the task.`;
    case 'debate_tie':
      return `The debate tied. Pick one of: ${(a.escalation.choices ?? []).join(', ')} (answer), give the output (edit), or reject the task.`;
    default:
      return `${a.reason.message}. Approve to retry the step, answer with guidance for a retry, edit to supply its output, or reject the task.`;
  }
}
