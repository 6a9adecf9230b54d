import { join } from 'node:path';
import { budgetScopes, loadBudgetPolicy, parseBudgetPolicy, promptTokenBound, scopeLevel, tenantLimits, usdToMicros, worstCaseMicros } from './index';

const base = { version: 1, task: { maxUsd: 0.5 }, tenants: { default: { dailyUsd: 10, tasksPerMinute: 60 }, acme: { dailyUsd: 40 } }, global: { dailyUsd: 100 } };

describe('budget policy', () => {
  it('fills defaults and reads the shipped file', () => {
    const p = parseBudgetPolicy(base);
    expect(p).toMatchObject({ lowWatermark: 0.2, reservationTtlSeconds: 600, maxCompletionTokens: 2048, onExhausted: 'stop' });
    const shipped = loadBudgetPolicy(join(__dirname, '..', '..', '..', 'config', 'budgets.yaml'));
    expect(shipped.tenants['default']?.dailyUsd).toBeGreaterThan(0);
    expect(shipped.task.maxUsd).toBeGreaterThan(0);
  });

  it('names every bad field', () => {
    const bad = (): unknown => parseBudgetPolicy({ ...base, lowWatermark: 2, tenants: { acme: {} }, extra: 1 });
    expect(bad).toThrow(/lowWatermark: /);
    expect(bad).toThrow(/tenants: tenants.default is required/);
    expect(bad).toThrow(/Unrecognized key: "extra"/);
    expect(() => parseBudgetPolicy({ ...base, tenants: { default: { dailyUsd: -1 } } })).toThrow(/tenants\.default\.dailyUsd/);
    expect(() => parseBudgetPolicy({ ...base, onExhausted: 'panic' })).toThrow(/onExhausted/);
  });

  it('merges a tenant over the default', () => {
    const p = parseBudgetPolicy(base);
    expect(tenantLimits(p, 'acme')).toEqual({ dailyUsd: 40, tasksPerMinute: 60 });
    expect(tenantLimits(p, 'nobody')).toEqual({ dailyUsd: 10, tasksPerMinute: 60 });
  });

  it('converts dollars to micro-dollars without float drift', () => {
    expect(usdToMicros(0.1)).toBe(100_000);
    expect(usdToMicros(1.15)).toBe(1_150_000);
    expect(usdToMicros(0)).toBe(0);
  });
});

describe('budgetScopes', () => {
  const p = parseBudgetPolicy(base);
  const at = new Date('2026-11-24T23:59:59Z');

  it('reserves against the task, the tenant day and the global day', () => {
    expect(budgetScopes(p, { taskId: 't1', tenantId: 'acme', at })).toEqual([
      { id: 'task:t1', level: 'task', limitMicros: 500_000, ttlSeconds: expect.any(Number) },
      { id: 'tenant:acme:day:2026-11-24', level: 'tenant', limitMicros: 40_000_000, ttlSeconds: expect.any(Number) },
      { id: 'global:day:2026-11-24', level: 'global', limitMicros: 100_000_000, ttlSeconds: expect.any(Number) },
    ]);
  });

  it('lets a task lower its cap but never raise it', () => {
    expect(budgetScopes(p, { taskId: 't', tenantId: 'x', at, taskMaxMicros: 1000 })[0].limitMicros).toBe(1000);
    expect(budgetScopes(p, { taskId: 't', tenantId: 'x', at, taskMaxMicros: 9_000_000 })[0].limitMicros).toBe(500_000);
  });

  it('leaves out the global scope when the policy has none', () => {
    const noGlobal = parseBudgetPolicy({ ...base, global: {} });
    expect(budgetScopes(noGlobal, { taskId: 't', tenantId: 'x', at }).map((s) => s.level)).toEqual(['task', 'tenant']);
  });

  it('tells the level of a scope id', () => {
    expect(scopeLevel('task:abc')).toBe('task');
    expect(scopeLevel('tenant:acme:day:2026-01-01')).toBe('tenant');
    expect(scopeLevel('global:day:2026-01-01')).toBe('global');
    expect(() => scopeLevel('model:x')).toThrow(/not a budget scope/);
  });
});

describe('worst-case cost', () => {
  const model = { inputPricePerMTokens: 2, outputPricePerMTokens: 8, maxOutputTokens: 4096 };

  it('bounds prompt tokens by UTF-8 bytes plus framing', () => {
    const one = promptTokenBound({ messages: [{ content: 'abcd' }] });
    const accented = promptTokenBound({ messages: [{ content: 'éééé' }] });
    expect(accented - one).toBe(4);
    expect(promptTokenBound({ messages: [{ content: 'abcd' }], tools: [{ name: 'x' }] })).toBeGreaterThan(one);
  });

  it('covers any real token count of the prompt: at least one byte per token', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(50);
    // 4 characters per token is the usual English ratio; bytes are never fewer than tokens.
    expect(promptTokenBound({ messages: [{ content: text }] })).toBeGreaterThanOrEqual(Math.ceil(text.length / 4));
  });

  it('prices the completion at maxTokens, capped by the model', () => {
    const req = { messages: [{ content: 'hi' }] };
    const prompt = promptTokenBound(req);
    expect(worstCaseMicros(model, { ...req, maxTokens: 100 })).toBe(prompt * 2 + 800);
    expect(worstCaseMicros(model, req)).toBe(prompt * 2 + 4096 * 8);
    expect(worstCaseMicros(model, { ...req, maxTokens: 10_000 })).toBe(prompt * 2 + 4096 * 8);
  });

  it('rounds a fractional cost up', () => {
    expect(worstCaseMicros({ inputPricePerMTokens: 0.15, outputPricePerMTokens: 0.6, maxOutputTokens: 1 }, { messages: [], maxTokens: 1 })).toBe(Math.ceil(64 * 0.15 + 0.6));
  });
});
