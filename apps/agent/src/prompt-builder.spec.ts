import type { StepRequested } from '@baton/contracts';
import { ROLE_PROMPTS, buildChatRequest } from './prompt-builder';

const step = (over: Partial<StepRequested['data']> = {}): StepRequested['data'] => ({
  stepId: 'main',
  attempt: 1,
  role: 'sales',
  model: 'sim-mini',
  instruction: 'Qualify the lead.',
  input: { text: 'Met Dana at the expo; budget approved for Q3.' },
  feedback: [],
  ...over,
});

const schema = { type: 'object', properties: { qualified: { type: 'boolean' } }, required: ['qualified'] };

describe('buildChatRequest', () => {
  it('plants the task canary in the system prompt only, when given', () => {
    const withCanary = buildChatRequest(step(), { canary: 'BTN-0123456789abcdef0123' });
    expect(withCanary.messages[0].content).toContain('BTN-0123456789abcdef0123');
    expect(withCanary.messages[1].content).not.toContain('BTN-');
    expect(buildChatRequest(step()).messages[0].content).not.toContain('BTN-');
  });

  it('asks the step model with the role persona and the task, without a schema', () => {
    const req = buildChatRequest(step());
    expect(req).toEqual({
      model: 'sim-mini',
      messages: [
        { role: 'system', content: ROLE_PROMPTS.sales },
        { role: 'user', content: 'Task: Qualify the lead.\n\nInput:\nMet Dana at the expo; budget approved for Q3.' },
      ],
    });
    expect('responseSchema' in req).toBe(false);
  });

  it('uses the persona of the step role', () => {
    expect(buildChatRequest(step({ role: 'recruiting' })).messages[0]!.content).toBe(ROLE_PROMPTS.recruiting);
    expect(buildChatRequest(step({ role: 'general' })).messages[0]!.content).toBe(ROLE_PROMPTS.general);
  });

  it('passes a declared schema as responseSchema and asks for JSON in the system prompt', () => {
    const req = buildChatRequest(step({ outputSchema: schema }));
    expect(req.responseSchema).toEqual({ name: 'step_output', schema });
    expect(req.messages[0]!.content).toBe(`${ROLE_PROMPTS.sales} Answer only with a JSON object that satisfies the response schema.`);
  });

  it('includes the structured input as indented JSON', () => {
    const data = { company: 'Initech', seats: 40 };
    const user = buildChatRequest(step({ input: { text: 'notes', data } })).messages[1]!.content;
    expect(user).toBe(`Task: Qualify the lead.\n\nInput:\nnotes\n\nStructured input:\n${JSON.stringify(data, null, 2)}`);
  });

  it('leaves out an empty structured input', () => {
    const user = buildChatRequest(step({ input: { text: 'notes', data: {} } })).messages[1]!.content;
    expect(user).not.toContain('Structured input');
  });

  it('includes the feedback of refused attempts, one bullet each, after the input', () => {
    const user = buildChatRequest(
      step({ attempt: 3, feedback: ['Attempt 1 was blocked: not JSON', 'Attempt 2 was failed: timeout'] }),
    ).messages[1]!.content;
    expect(user).toMatch(
      /Input:\n[^]*\n\nEarlier attempts were refused\. Correct these problems:\n- Attempt 1 was blocked: not JSON\n- Attempt 2 was failed: timeout$/,
    );
  });

  it('mentions no earlier attempts when there is no feedback', () => {
    expect(buildChatRequest(step()).messages[1]!.content).not.toContain('Earlier attempts');
  });

  it('is pure: the same step gives the same request', () => {
    const s = step({ outputSchema: schema, feedback: ['x'], input: { text: 't', data: { a: 1 } } });
    expect(buildChatRequest(s)).toEqual(buildChatRequest(s));
  });
});
