import { DECIDED_BY_REFUSED, LIST_LIMIT, parseDecisionRequest, parseListLimit } from './escalations-request';

/** The problem of a refused body; fails the test when the body was accepted. */
function problemOf(body: unknown) {
  const r = parseDecisionRequest(body);
  if (r.ok) throw new Error('the body was accepted');
  return r.problem;
}

describe('parseDecisionRequest', () => {
  it.each([
    ['approve', { action: 'approve' }],
    ['reject with a comment', { action: 'reject', comment: 'wrong customer' }],
    ['edit with an object output', { action: 'edit', output: { qualified: false } }],
    ['edit with a null output', { action: 'edit', output: null }],
    ['answer naming the escalation', { escalationId: 'esc-1', action: 'answer', answer: 'Use the EU price list' }],
  ])('accepts %s unchanged', (_name, body) => {
    expect(parseDecisionRequest(body)).toEqual({ ok: true, value: body });
  });

  it('refuses a missing or unknown action, naming the field', () => {
    expect(problemOf({}).issues.map((i) => i.path)).toEqual(['action']);
    expect(problemOf({ action: 'maybe' }).message).toMatch(/^action: /);
    expect(problemOf(undefined).issues.map((i) => i.path)).toEqual(['action']);
  });

  it('requires output for edit and answer for answer', () => {
    expect(problemOf({ action: 'edit' }).issues).toEqual([{ path: 'output', message: 'required when action is edit' }]);
    expect(problemOf({ action: 'answer' }).issues).toEqual([{ path: 'answer', message: 'required when action is answer' }]);
    expect(problemOf({ action: 'answer', answer: '' }).issues.map((i) => i.path)).toEqual(['answer']);
  });

  it('refuses an output or answer the action would ignore', () => {
    expect(problemOf({ action: 'approve', output: { qualified: true } }).issues).toEqual([
      { path: 'output', message: 'allowed only when action is edit' },
    ]);
    expect(problemOf({ action: 'edit', output: 1, answer: 'x' }).issues.map((i) => i.path)).toEqual(['answer']);
  });

  it('refuses unknown fields, naming them', () => {
    const problem = problemOf({ action: 'approve', reason: 'looks fine' });
    expect(problem.message).toContain('reason');
    expect(problem.issues).toHaveLength(1);
  });

  it.each(['dana', 'timeout', '', null])('refuses a decidedBy (%p): the decider is the API key, not the body', (decidedBy) => {
    expect(problemOf({ action: 'approve', decidedBy }).issues).toEqual([{ path: 'decidedBy', message: DECIDED_BY_REFUSED }]);
  });

  it('applies the contract limits on answer and comment', () => {
    expect(problemOf({ action: 'answer', answer: 'x'.repeat(4001) }).issues.map((i) => i.path)).toEqual(['answer']);
    expect(problemOf({ action: 'approve', comment: 'x'.repeat(2001) }).issues.map((i) => i.path)).toEqual(['comment']);
  });
});

describe('parseListLimit', () => {
  it('defaults when absent and accepts 1 to the maximum', () => {
    expect(parseListLimit(undefined)).toEqual({ ok: true, value: LIST_LIMIT.default });
    expect(parseListLimit('')).toEqual({ ok: true, value: LIST_LIMIT.default });
    expect(parseListLimit('1')).toEqual({ ok: true, value: 1 });
    expect(parseListLimit(String(LIST_LIMIT.max))).toEqual({ ok: true, value: LIST_LIMIT.max });
  });

  it.each(['0', '-1', '2.5', 'ten', String(LIST_LIMIT.max + 1), ['5', '6']])('refuses %p, naming limit', (raw) => {
    const r = parseListLimit(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.issues.map((i) => i.path)).toEqual(['limit']);
  });
});
