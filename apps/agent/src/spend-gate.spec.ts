import { parseBudgetPolicy, worstCaseMicros } from '@baton/budget';
import { budgetScopeIds, rateScopeIds } from '@baton/state';
import { budgetExhaustedError, BudgetRefusedError, rateScopes, reservationFor } from './spend-gate';

const policy = parseBudgetPolicy({
  version: 1,
  task: { maxUsd: 0.5 },
  tenants: { default: { dailyUsd: 10, requestsPerMinute: 100, tokensPerMinute: 50_000 } },
  global: { dailyUsd: 100 },
});

describe('reservationFor', () => {
  it("names the budgets as the ledger does and reserves the request's worst case", () => {
    const at = new Date('2026-11-24T12:00:00Z');
    const model = { inputPricePerMTokens: 1, outputPricePerMTokens: 4, maxOutputTokens: 1000 };
    const request = { messages: [{ content: 'hello' }], maxTokens: 200 };
    const r = reservationFor(policy, { taskId: 't1', tenantId: 'acme', taskMaxMicros: 1000, model, request, at });
    expect(r.scopes.map((s) => s.id)).toEqual([budgetScopeIds.task('t1'), budgetScopeIds.tenantDay('acme', at), budgetScopeIds.globalDay(at)]);
    expect(r.scopes[0].limitMicros).toBe(1000);
    expect(r.amountMicros).toBe(worstCaseMicros(model, request));
  });
});

describe('rateScopes', () => {
  it('counts a call once per request scope and its tokens per token scope, skipping limits nobody set', () => {
    expect(rateScopes(policy, { tenantId: 'acme', model: 'm', modelLimits: { requestsPerMinute: 10 }, tokens: 700 })).toEqual({
      scopes: [
        { id: rateScopeIds.tenantRpm('acme'), limit: 100, windowMs: 60_000 },
        { id: rateScopeIds.tenantTpm('acme'), limit: 50_000, windowMs: 60_000 },
        { id: rateScopeIds.modelRpm('m'), limit: 10, windowMs: 60_000 },
      ],
      costs: [1, 700, 1],
    });
  });
});

describe('budgetExhaustedError', () => {
  it('is a policy error naming every refusal and the first scope', () => {
    const refusal = (model: string) => new BudgetRefusedError({ scope: 'task:t1', level: 'task', limitMicros: 10, spentMicros: 9, reservedMicros: 0, requestedMicros: 5, model });
    const e = budgetExhaustedError([refusal('a'), refusal('b')]);
    expect(e).toMatchObject({ kind: 'policy', code: 'budget_exhausted', details: { scope: 'task:t1', level: 'task', limitMicros: 10 } });
    expect(e.message).toMatch(/a's worst case.*; .*b's worst case/);
  });
});
