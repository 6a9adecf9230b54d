import { DEFAULT_RETRY_POLICY, backoffMs, resolveRetryPolicy } from './retry';

describe('resolveRetryPolicy', () => {
  it('defaults to 3 poison attempts, 100 ms initial, 2 s cap; transient failures waited out for 60 s, 5 s cap', () => {
    expect(resolveRetryPolicy()).toEqual({ attempts: 3, initialBackoffMs: 100, maxBackoffMs: 2000, transientBudgetMs: 60_000, transientMaxBackoffMs: 5_000 });
    expect(DEFAULT_RETRY_POLICY).toEqual(resolveRetryPolicy({}));
  });

  it('overrides only the fields given, ignoring explicit undefined', () => {
    expect(resolveRetryPolicy({ attempts: 5, maxBackoffMs: undefined })).toMatchObject({ attempts: 5, initialBackoffMs: 100, maxBackoffMs: 2000 });
  });

  it.each([
    [{ attempts: 0 }, /attempts/],
    [{ attempts: 1.5 }, /attempts/],
    [{ initialBackoffMs: -1 }, /initialBackoffMs/],
    [{ initialBackoffMs: 500, maxBackoffMs: 100 }, /maxBackoffMs/],
    [{ transientBudgetMs: -1 }, /transientBudgetMs/],
    [{ initialBackoffMs: 500, maxBackoffMs: 500, transientMaxBackoffMs: 100 }, /transientMaxBackoffMs/],
  ])('rejects %p', (partial, message) => {
    expect(() => resolveRetryPolicy(partial)).toThrow(message);
  });
});

describe('backoffMs', () => {
  const policy = resolveRetryPolicy({ attempts: 10, initialBackoffMs: 100, maxBackoffMs: 2000 });

  it('doubles after each failed attempt', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(policy, n))).toEqual([100, 200, 400, 800, 1600]);
  });

  it('is capped at maxBackoffMs', () => {
    expect(backoffMs(policy, 6)).toBe(2000);
    expect(backoffMs(policy, 1000)).toBe(2000);
  });

  it('is capped at transientMaxBackoffMs for transient failures', () => {
    const p = resolveRetryPolicy({ initialBackoffMs: 100, maxBackoffMs: 200, transientMaxBackoffMs: 5000 });
    expect([1, 2, 3, 6, 7, 100].map((n) => backoffMs(p, n, 'transient'))).toEqual([100, 200, 400, 3200, 5000, 5000]);
  });

  it('is zero when the initial backoff is zero', () => {
    expect(backoffMs(resolveRetryPolicy({ initialBackoffMs: 0, maxBackoffMs: 0 }), 3)).toBe(0);
  });
});
