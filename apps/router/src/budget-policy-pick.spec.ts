import { parseBudgetPolicy } from '@baton/budget';
import { withBudget } from './budget-policy-pick';

const policy = parseBudgetPolicy({ version: 1, task: { maxUsd: 1 }, tenants: { default: { dailyUsd: 10 } }, lowWatermark: 0.2 });

describe('withBudget', () => {
  const pick = { policy: 'best-quality' as const, source: 'task-type' as const };

  it('keeps the policy while more than the low-water mark is left, counting reservations', () => {
    expect(withBudget(pick, policy, 'acme', { spentMicros: 7_000_000, reservedMicros: 900_000 })).toBe(pick);
  });

  it('switches to the cheapest models below the mark', () => {
    expect(withBudget(pick, policy, 'acme', { spentMicros: 7_000_000, reservedMicros: 1_100_000 })).toEqual({ policy: 'cheapest', source: 'budget-low' });
  });

  it("leaves a task's own policy alone, and tenants without a daily budget", () => {
    expect(withBudget({ policy: 'fastest', source: 'task' }, policy, 'acme', { spentMicros: 9_999_999, reservedMicros: 0 })).toEqual({ policy: 'fastest', source: 'task' });
    const none = parseBudgetPolicy({ version: 1, task: { maxUsd: 1 }, tenants: { default: {} } });
    expect(withBudget(pick, none, 'acme', { spentMicros: 1e9, reservedMicros: 0 })).toBe(pick);
  });
});
