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
 * attempt the task is on. A stale or repeated outcome (not the current attempt) is
 * ignored; the attempt limit is the planner's, never the model's.
 */
export function nextMove(current: { attempts: number; maxAttempts: number }, attempt: number, history: AttemptRecord[]): NextMove {
  if (attempt !== current.attempts) {
    return { action: 'ignore', why: `outcome of attempt ${attempt} while the task is on attempt ${current.attempts}` };
  }
  if (attempt < current.maxAttempts) {
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
