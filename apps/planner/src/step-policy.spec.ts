import { ErrorInfo } from '@baton/contracts';
import { nextMove, type AttemptRecord } from './step-policy';

const first: AttemptRecord = { attempt: 1, outcome: 'blocked', reason: 'output is not JSON' };
const second: AttemptRecord = { attempt: 2, outcome: 'failed', reason: 'llm_timeout: model call timed out' };

describe('nextMove', () => {
  it('retries with the next attempt and feedback from every earlier attempt, in the given order', () => {
    expect(nextMove({ attempt: 2, used: 2, maxAttempts: 3 }, 2, [first, second])).toEqual({
      action: 'retry',
      attempt: 3,
      feedback: ['Attempt 1 was blocked: output is not JSON', 'Attempt 2 was failed: llm_timeout: model call timed out'],
    });
  });

  it('retries after the first setback with that setback as the only feedback', () => {
    expect(nextMove({ attempt: 1, used: 1, maxAttempts: 3 }, 1, [first])).toEqual({
      action: 'retry',
      attempt: 2,
      feedback: ['Attempt 1 was blocked: output is not JSON'],
    });
  });

  it('escalates at the last allowed attempt with code attempts_exhausted', () => {
    const move = nextMove({ attempt: 3, used: 3, maxAttempts: 3 }, 3, [first, second, { attempt: 3, outcome: 'blocked', reason: 'schema' }]);
    expect(move.action).toBe('escalate');
    if (move.action !== 'escalate') throw new Error('unreachable');
    expect(move.reason.kind).toBe('policy');
    expect(move.reason.code).toBe('attempts_exhausted');
    expect(move.reason.message).toContain('3 attempts');
    // The reason is published in task.escalated, so it must satisfy the contract.
    expect(ErrorInfo.safeParse(move.reason).success).toBe(true);
  });

  it('escalates right away when only one attempt is allowed', () => {
    expect(nextMove({ attempt: 1, used: 1, maxAttempts: 1 }, 1, [first]).action).toBe('escalate');
  });

  it('ignores the outcome of an earlier attempt (stale or redelivered)', () => {
    const move = nextMove({ attempt: 2, used: 2, maxAttempts: 3 }, 1, [first]);
    expect(move).toEqual({ action: 'ignore', why: 'outcome of attempt 1 while the step is on attempt 2' });
  });

  it('ignores an outcome of an attempt the task has not reached', () => {
    expect(nextMove({ attempt: 1, used: 1, maxAttempts: 3 }, 2, []).action).toBe('ignore');
  });

  it('counts the attempts of the current holder, not the attempt number, against the limit', () => {
    // Attempt 5 is the second attempt since a hand-off or a human's go-ahead.
    expect(nextMove({ attempt: 5, used: 2, maxAttempts: 3 }, 5, [first]).action).toBe('retry');
    expect(nextMove({ attempt: 6, used: 3, maxAttempts: 3 }, 6, [first]).action).toBe('escalate');
  });

  it('ignores a stale outcome even when the attempts have run out', () => {
    expect(nextMove({ attempt: 3, used: 3, maxAttempts: 3 }, 2, [first, second]).action).toBe('ignore');
  });
});
