import type { ErrorInfo } from '@baton/contracts';

/** One finished attempt of a step, as the planner remembers it. */
export interface AttemptRecord {
  attempt: number;
  outcome: 'blocked' | 'failed';
  reason: string;
}

/** What to do after an attempt did not produce an approved output. */
export type NextMove =
  | { action: 'ignore'; why: string }
  | { action: 'retry'; attempt: number; feedback: string[] }
  | { action: 'escalate'; reason: ErrorInfo };

/**
 * Decides the next move after attempt `attempt` was blocked or failed, given the
 * attempt the step is on. A stale or repeated outcome (not the current attempt) is
 * ignored. `used` is how many attempts the step's current holder has spent (a hand-off
 * or a human's go-ahead starts a fresh count); the limit is the planner's, never the model's.
 */
export function nextMove(current: { attempt: number; used: number; maxAttempts: number }, attempt: number, history: AttemptRecord[]): NextMove {
  if (attempt !== current.attempt) {
    return { action: 'ignore', why: `outcome of attempt ${attempt} while the step is on attempt ${current.attempt}` };
  }
  if (current.used < current.maxAttempts) {
    return { action: 'retry', attempt: attempt + 1, feedback: history.map((h) => `Attempt ${h.attempt} was ${h.outcome}: ${h.reason}`) };
  }
  return {
    action: 'escalate',
    reason: {
      kind: 'policy',
      code: 'attempts_exhausted',
      message: `the step did not produce an approved output in ${current.maxAttempts} attempts; a human must decide`,
    },
  };
}
