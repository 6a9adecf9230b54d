import { ErrorInfo } from '@baton/contracts';
import { LlmError, ModelCatalogError } from '@baton/llm';
import { ReplyError } from 'redis-errors';
import {
  callWithFallbacks,
  candidateModels,
  describeModelError,
  isProviderFailure,
  type BreakerPort,
  type FallbackObserver,
} from './model-fallback';
import { BudgetRefusedError, RateLimitedError } from './spend-gate';

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

/** Breakers in memory: a set of models refused, and a log of what was recorded. */
class FakeBreakers implements BreakerPort {
  readonly log: string[] = [];
  constructor(
    private readonly refused: ReadonlySet<string> = new Set(),
    private readonly changes: { failure?: ReadonlySet<string>; success?: ReadonlySet<string> } = {},
  ) {}
  async tryProbe(model: string): Promise<boolean> {
    this.log.push(`probe ${model}`);
    return !this.refused.has(model);
  }
  async recordFailure(model: string): Promise<{ changed: boolean }> {
    this.log.push(`failure ${model}`);
    return { changed: this.changes.failure?.has(model) ?? false };
  }
  async recordSuccess(model: string): Promise<{ changed: boolean }> {
    this.log.push(`success ${model}`);
    return { changed: this.changes.success?.has(model) ?? false };
  }
}

/** A model call scripted per model: an error to throw, or the answer. */
function scripted(script: Record<string, unknown>): { call: (model: string) => Promise<string>; called: string[] } {
  const called: string[] = [];
  return {
    called,
    call: async (model) => {
      called.push(model);
      const r = script[model];
      if (r instanceof Error) throw r;
      if (r === undefined) throw new Error(`unscripted model ${model}`);
      return String(r);
    },
  };
}

const serverError = () => new LlmError('server_error', 'model endpoint answered 500: boom', { status: 500 });

function recordingObserver(): FallbackObserver & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    fallback: (from, to, reason) => events.push(`fallback ${from} -> ${to ?? 'none'} (${reason})`),
    breaker: (model, state) => events.push(`breaker ${model} ${state}`),
  };
}

describe('callWithFallbacks', () => {
  it('answers with the first model when it works, recording a success', async () => {
    const breakers = new FakeBreakers();
    const { call, called } = scripted({ a: 'from a', b: 'from b' });
    expect(await callWithFallbacks(['a', 'b'], call, breakers)).toEqual({ ok: true, model: 'a', value: 'from a', tried: [{ model: 'a', outcome: 'succeeded' }] });
    expect(called).toEqual(['a']);
    expect(breakers.log).toEqual(['probe a', 'success a']);
  });

  it.each([
    ['rate_limited', new LlmError('rate_limited', '429', { status: 429 })],
    ['server_error', serverError()],
    ['timeout', new LlmError('timeout', 'model call timed out after 30000 ms')],
  ])('moves on after a provider failure (%s), recording it on the breaker', async (kind, err) => {
    const breakers = new FakeBreakers();
    const observer = recordingObserver();
    const { call, called } = scripted({ a: err, b: 'from b' });
    const result = await callWithFallbacks(['a', 'b'], call, breakers, observer);
    expect(result).toEqual({
      ok: true,
      model: 'b',
      value: 'from b',
      tried: [
        { model: 'a', outcome: 'failed', reason: `llm_${kind}` },
        { model: 'b', outcome: 'succeeded' },
      ],
    });
    expect(called).toEqual(['a', 'b']);
    expect(breakers.log).toEqual(['probe a', 'failure a', 'probe b', 'success b']);
    expect(observer.events).toEqual([`fallback a -> b (llm_${kind})`]);
  });

  it('skips a model whose breaker refuses the call, without calling or recording it', async () => {
    const breakers = new FakeBreakers(new Set(['a']));
    const observer = recordingObserver();
    const { call, called } = scripted({ b: 'from b' });
    const result = await callWithFallbacks(['a', 'b'], call, breakers, observer);
    expect(result.ok && result.model).toBe('b');
    expect(result.tried).toEqual([
      { model: 'a', outcome: 'skipped', reason: 'breaker_open' },
      { model: 'b', outcome: 'succeeded' },
    ]);
    expect(called).toEqual(['b']);
    expect(breakers.log).toEqual(['probe a', 'probe b', 'success b']);
    expect(observer.events).toEqual(['fallback a -> b (breaker_open)']);
  });

  it('reports breakers that a failure opened or a success closed', async () => {
    const breakers = new FakeBreakers(new Set(), { failure: new Set(['a']), success: new Set(['b']) });
    const observer = recordingObserver();
    await callWithFallbacks(['a', 'b'], scripted({ a: serverError(), b: 'ok' }).call, breakers, observer);
    expect(observer.events).toEqual(['breaker a open', 'fallback a -> b (llm_server_error)', 'breaker b closed']);
  });

  it('stops at once on a failure that is not the provider\'s: another model would not fix the request', async () => {
    const breakers = new FakeBreakers();
    const { call, called } = scripted({ a: new LlmError('bad_request', 'model endpoint answered 400: bad schema', { status: 400 }), b: 'ok' });
    const result = await callWithFallbacks(['a', 'b'], call, breakers);
    expect(result).toEqual({
      ok: false,
      error: { kind: 'system', code: 'llm_bad_request', message: 'model endpoint answered 400: bad schema', details: { tried: [{ model: 'a', outcome: 'failed', reason: 'llm_bad_request' }] } },
      tried: [{ model: 'a', outcome: 'failed', reason: 'llm_bad_request' }],
    });
    expect(called).toEqual(['a']);
    expect(breakers.log).toEqual(['probe a']);
  });

  // The reservation and the rate limiter run inside the call: a Redis outage there used to
  // become a step.failed (agent_error), so the bus marked the step done though it never ran.
  it.each([
    ['Redis LOADING', () => new ReplyError('LOADING Redis is loading the dataset in memory')],
    ['a closed Redis connection', () => new Error('Connection is closed.')],
  ])('throws %s in the reservation to the bus instead of failing the step', async (_name, makeError) => {
    const breakers = new FakeBreakers();
    const { call } = scripted({ a: makeError(), b: 'ok' });
    await expect(callWithFallbacks(['a', 'b'], call, breakers)).rejects.toThrow(makeError().message);
    expect(breakers.log).toEqual(['probe a']);
  });

  it('stops on a malformed answer, reported as the model\'s fault', async () => {
    const result = await callWithFallbacks(['a', 'b'], scripted({ a: new LlmError('bad_response', 'not JSON'), b: 'ok' }).call, new FakeBreakers());
    expect(!result.ok && result.error.kind).toBe('model');
  });

  it('skips a model this agent\'s catalog does not know', async () => {
    const { call, called } = scripted({ a: new ModelCatalogError('unknown model "a"'), b: 'ok' });
    const breakers = new FakeBreakers();
    const result = await callWithFallbacks(['a', 'b'], call, breakers);
    expect(result.ok && result.model).toBe('b');
    expect(result.tried[0]).toEqual({ model: 'a', outcome: 'skipped', reason: 'unknown_model' });
    expect(called).toEqual(['a', 'b']);
    expect(breakers.log).toEqual(['probe a', 'probe b', 'success b']);
  });

  it('fails listing every model tried when all fail, with the code of the last failure', async () => {
    const breakers = new FakeBreakers(new Set(['b']));
    const observer = recordingObserver();
    const { call, called } = scripted({ a: serverError(), c: new LlmError('timeout', 'model call timed out after 30000 ms') });
    const result = await callWithFallbacks(['a', 'b', 'c'], call, breakers, observer);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toEqual({
      kind: 'system',
      code: 'llm_timeout',
      message: 'every model failed: a: llm_server_error; b: skipped (breaker_open); c: llm_timeout',
      details: { tried: result.tried },
    });
    expect(ErrorInfo.safeParse(result.error).success).toBe(true);
    expect(called).toEqual(['a', 'c']);
    expect(observer.events).toEqual(['fallback a -> b (llm_server_error)', 'fallback b -> c (breaker_open)', 'fallback c -> none (llm_timeout)']);
  });

  it('fails with no_model_available when every breaker refused', async () => {
    const result = await callWithFallbacks(['a', 'b'], scripted({}).call, new FakeBreakers(new Set(['a', 'b'])));
    expect(!result.ok && result.error).toEqual({
      kind: 'system',
      code: 'no_model_available',
      message: 'no model could be called: a: skipped (breaker_open); b: skipped (breaker_open)',
      details: { tried: result.tried },
    });
  });

  it('keeps a single-model step failing as before: the error code of that model\'s failure', async () => {
    const result = await callWithFallbacks(['a'], scripted({ a: serverError() }).call, new FakeBreakers());
    expect(!result.ok && [result.error.kind, result.error.code]).toEqual(['system', 'llm_server_error']);
  });
});

describe('callWithFallbacks with budgets and rate limits', () => {
  const refusal = (model: string) =>
    new BudgetRefusedError({ scope: 'task:t1', level: 'task', limitMicros: 1000, spentMicros: 900, reservedMicros: 0, requestedMicros: 400, model });

  it('skips a model the budget cannot cover without touching its breaker, and takes a fallback that fits', async () => {
    const breakers = new FakeBreakers();
    const { call, called } = scripted({ big: refusal('big'), small: 'from small' });
    const result = await callWithFallbacks(['big', 'small'], call, breakers);
    expect(result).toMatchObject({ ok: true, model: 'small', tried: [{ model: 'big', outcome: 'skipped', reason: 'budget_exhausted' }, { model: 'small', outcome: 'succeeded' }] });
    expect(called).toEqual(['big', 'small']);
    expect(breakers.log).not.toContain('failure big');
  });

  it('fails the attempt with budget_exhausted, as policy, when no model fits', async () => {
    const { call } = scripted({ a: refusal('a'), b: refusal('b') });
    const result = await callWithFallbacks(['a', 'b'], call, new FakeBreakers());
    expect(result).toMatchObject({ ok: false, error: { kind: 'policy', code: 'budget_exhausted', details: { scope: 'task:t1', level: 'task' } } });
  });

  it('moves past a model whose rate limit is spent', async () => {
    const { call } = scripted({ a: new RateLimitedError('model:a:rpm', 30_000), b: 'from b' });
    expect(await callWithFallbacks(['a', 'b'], call, new FakeBreakers())).toMatchObject({ ok: true, model: 'b', tried: [{ model: 'a', outcome: 'skipped', reason: 'rate_limited' }, { model: 'b' }] });
  });
});

describe('candidateModels', () => {
  it('puts the chosen model first and tries each model once', () => {
    expect(candidateModels('a')).toEqual(['a']);
    expect(candidateModels('a', ['b', 'c'])).toEqual(['a', 'b', 'c']);
    // After a cascade step-up the planner's model may also be among the fallbacks.
    expect(candidateModels('b', ['a', 'b', 'c', 'a'])).toEqual(['b', 'a', 'c']);
  });
});

describe('isProviderFailure', () => {
  it('is true for retryable llm errors only', () => {
    expect(isProviderFailure(new LlmError('rate_limited', 'x'))).toBe(true);
    expect(isProviderFailure(new LlmError('server_error', 'x'))).toBe(true);
    expect(isProviderFailure(new LlmError('timeout', 'x'))).toBe(true);
    // An unexpected error classified as server_error but not retryable is our own defect.
    expect(isProviderFailure(new LlmError('server_error', 'model call failed unexpectedly', { retryable: false }))).toBe(false);
    expect(isProviderFailure(new LlmError('auth', 'x'))).toBe(false);
    expect(isProviderFailure(new Error('x'))).toBe(false);
  });
});
