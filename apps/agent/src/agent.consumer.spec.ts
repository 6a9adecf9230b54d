import { ErrorInfo } from '@baton/contracts';
import { LlmError } from '@baton/llm';
import { describeModelError } from './agent.consumer';

describe('describeModelError', () => {
  it('reports a bad model response as the model\'s fault', () => {
    expect(describeModelError(new LlmError('bad_response', 'model endpoint sent a body that is not JSON'))).toEqual({
      kind: 'model',
      code: 'llm_bad_response',
      message: 'model endpoint sent a body that is not JSON',
    });
  });

  it.each(['rate_limited', 'server_error', 'timeout', 'auth', 'bad_request'] as const)(
    'reports an llm %s as a system error with code llm_<kind>',
    (kind) => {
      const info = describeModelError(new LlmError(kind, `failed: ${kind}`, { status: 500 }));
      expect(info).toEqual({ kind: 'system', code: `llm_${kind}`, message: `failed: ${kind}` });
      // It travels in step.failed, so it must satisfy the contract (snake_case code).
      expect(ErrorInfo.safeParse(info).success).toBe(true);
    },
  );

  it('reports any other error as agent_error with its message', () => {
    expect(describeModelError(new TypeError('cannot read properties of undefined'))).toEqual({
      kind: 'system',
      code: 'agent_error',
      message: 'cannot read properties of undefined',
    });
  });

  it('reports a thrown non-error as its string form', () => {
    expect(describeModelError('boom')).toEqual({ kind: 'system', code: 'agent_error', message: 'boom' });
    expect(describeModelError(undefined).message).toBe('undefined');
  });
});
