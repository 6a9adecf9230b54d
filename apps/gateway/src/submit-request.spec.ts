import { parseSubmitRequest } from './submit-request';

const valid = {
  taskType: 'lead.qualify',
  instruction: 'Qualify this lead.',
  input: { text: 'Met Dana at the expo.', data: { company: 'Initech', seats: 40 } },
  outputSchema: { type: 'object', properties: { qualified: { type: 'boolean' } }, required: ['qualified'] },
  needs: { capabilities: ['json'], minContextTokens: 8000 },
};

/** The problem of a refused body; fails the test when the body was accepted. */
function problemOf(body: unknown) {
  const r = parseSubmitRequest(body);
  if (r.ok) throw new Error('the body was accepted');
  return r.problem;
}

/** `levels` arrays nested in one another, `[[[...]]]`: 2 characters a level, well inside the size limits. */
function nested(levels: number): Record<string, unknown> {
  let v: unknown[] = [];
  for (let i = 1; i < levels; i++) v = [v];
  return { a: v };
}

describe('parseSubmitRequest: hostile shapes', () => {
  it('a body nested deeper than 64 levels is a 400 naming the limit', () => {
    const problem = problemOf({ ...valid, input: { text: 'x', data: nested(3_600) } });
    expect(problem).toEqual({ error: 'invalid_request', message: expect.stringMatching(/nested deeper than 64 levels.*the limit is 64/), issues: [{ path: '(body)', message: problem.message }] });
  });

  it('a body with more than 10,000 keys and array items is a 400 naming the limit', () => {
    expect(problemOf({ ...valid, input: { text: 'x', data: { list: new Array(10_001).fill(1) } } }).message).toMatch(/more than 10,000 keys and array items.*the limit is 10,000/);
  });
});

describe('parseSubmitRequest', () => {
  it('accepts a full valid body unchanged', () => {
    expect(parseSubmitRequest(valid)).toEqual({ ok: true, value: valid });
  });

  it('accepts the minimal body: a task type and input text', () => {
    const body = { taskType: 'support.triage', input: { text: 'The printer is on fire.' } };
    expect(parseSubmitRequest(body)).toEqual({ ok: true, value: body });
  });

  it('explains a missing input.text', () => {
    const problem = problemOf({ taskType: 'lead.qualify', input: {} });
    expect(problem.error).toBe('invalid_request');
    expect(problem.message).toContain('input.text');
    expect(problem.issues.map((i) => i.path)).toEqual(['input.text']);
  });

  it('explains an empty input.text with the contract message', () => {
    const problem = problemOf({ taskType: 'lead.qualify', input: { text: '' } });
    expect(problem.issues).toEqual([{ path: 'input.text', message: 'input.text must not be empty' }]);
  });

  it('explains a task type that is not dotted lowercase', () => {
    const problem = problemOf({ ...valid, taskType: 'Lead Qualify!' });
    expect(problem.message).toContain('taskType');
    expect(problem.issues).toEqual([{ path: 'taskType', message: 'task type must be dotted lowercase words, e.g. lead.qualify' }]);
  });

  it('refuses an unknown top-level field, naming it', () => {
    const problem = problemOf({ ...valid, priority: 'high' });
    expect(problem.message).toContain('priority');
    expect(problem.issues).toHaveLength(1);
  });

  it('refuses unknown fields inside input and needs, so a typo cannot drop a requirement', () => {
    const problem = problemOf({ taskType: 'lead.qualify', input: { text: 'x', txt: 1 }, needs: { capabilites: ['json'] } });
    expect(problem.issues.map((i) => i.path).sort()).toEqual(['input', 'needs']);
    expect(problem.message).toContain('txt');
    expect(problem.message).toContain('capabilites');
  });

  it('refuses envelope fields a client might try to set', () => {
    expect(problemOf({ ...valid, tenantId: 'globex' }).message).toContain('tenantId');
  });

  it('reports every problem at once', () => {
    const problem = problemOf({ taskType: 7, input: { text: '' }, needs: { minContextTokens: -1 } });
    expect(problem.issues.map((i) => i.path).sort()).toEqual(['input.text', 'needs.minContextTokens', 'taskType']);
  });

  it('treats a missing body as an empty object and labels root problems (body)', () => {
    const missing = problemOf(undefined);
    expect(missing.issues.map((i) => i.path).sort()).toEqual(['input', 'taskType']);
    const notObject = problemOf('lead.qualify');
    expect(notObject.issues.map((i) => i.path)).toEqual(['(body)']);
    expect(notObject.message).toMatch(/^\(root\): /);
  });
});
