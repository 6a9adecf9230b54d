import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { LlmError, classifyError } from './llm-error';

const apiError = (status: number, headers: Record<string, string> = {}) =>
  APIError.generate(status, { message: `status ${status}` }, undefined, new Headers(headers));

describe('classifyError', () => {
  it.each([
    [429, 'rate_limited', true],
    [500, 'server_error', true],
    [502, 'server_error', true],
    [503, 'server_error', true],
    [401, 'auth', false],
    [403, 'auth', false],
    [400, 'bad_request', false],
    [404, 'bad_request', false],
    [422, 'bad_request', false],
    [408, 'timeout', true],
  ] as const)('maps HTTP %i to %s (retryable %s)', (status, kind, retryable) => {
    const err = classifyError(apiError(status));
    expect(err).toBeInstanceOf(LlmError);
    expect(err.kind).toBe(kind);
    expect(err.retryable).toBe(retryable);
    expect(err.status).toBe(status);
    expect(err.message).toContain(String(status));
  });

  it('reads retry-after-ms and retry-after from a 429', () => {
    expect(classifyError(apiError(429, { 'retry-after-ms': '150' })).retryAfterMs).toBe(150);
    expect(classifyError(apiError(429, { 'retry-after': '2' })).retryAfterMs).toBe(2000);
    expect(classifyError(apiError(429)).retryAfterMs).toBeUndefined();
  });

  it('maps an SDK timeout to a retryable timeout', () => {
    const err = classifyError(new APIConnectionTimeoutError());
    expect(err).toMatchObject({ kind: 'timeout', retryable: true, status: undefined });
  });

  it('maps a caller abort to a timeout that must not be retried', () => {
    expect(classifyError(new APIUserAbortError())).toMatchObject({ kind: 'timeout', retryable: false });
    const domAbort = new Error('This operation was aborted');
    domAbort.name = 'AbortError';
    expect(classifyError(domAbort)).toMatchObject({ kind: 'timeout', retryable: false });
  });

  it('maps a refused connection to a retryable server error naming the cause', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const err = classifyError(new APIConnectionError({ cause }));
    expect(err).toMatchObject({ kind: 'server_error', retryable: true });
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('maps an unparseable body to bad_response', () => {
    let syntax: unknown;
    try {
      JSON.parse('{"choices": [');
    } catch (e) {
      syntax = e;
    }
    expect(classifyError(syntax)).toMatchObject({ kind: 'bad_response', retryable: false });
  });

  it('passes LlmErrors through and does not retry unknown failures', () => {
    const own = new LlmError('bad_response', 'x');
    expect(classifyError(own)).toBe(own);
    expect(classifyError(new TypeError('boom'))).toMatchObject({ kind: 'server_error', retryable: false });
    expect(classifyError('a string')).toMatchObject({ kind: 'server_error', retryable: false });
  });
});
