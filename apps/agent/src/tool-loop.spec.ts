import { randomUUID } from 'node:crypto';
import { createEvent, type StepRequested } from '@baton/contracts';
import type { ChatRequest, ChatResult, ToolCall } from '@baton/llm';
import { canonicalHash } from '@baton/contracts';
import { defaultRegistry, InMemoryToolBackend } from '@baton/agent-tools';
import { Attempt } from './attempt';
import { runToolLoop, type AttemptTools, type CallModel } from './tool-loop';
import { ToolRunner } from './tool-runner';
import { requestFor } from './tools';

function step(over: Partial<StepRequested['data']> = {}): StepRequested['data'] {
  return { stepId: 'main', attempt: 1, role: 'general', model: 'sim-mini', instruction: 'Answer.', input: { text: 'ticket' }, feedback: [], ...over };
}
const request: ChatRequest = { model: 'sim-mini', messages: [{ role: 'user', content: 'hi' }] };

function reply(content: string, toolCalls: ToolCall[] = []): ChatResult {
  return {
    content,
    toolCalls,
    finishReason: toolCalls.length ? 'tool_calls' : 'stop',
    usage: { promptTokens: 10, completionTokens: 5 },
    latencyMs: 1,
    model: 'sim-mini',
    provider: 'sim',
    responseModel: 'sim-mini',
  };
}
const call = (name: string, args: unknown, id = `c-${name}`): ToolCall => ({ id, name, arguments: typeof args === 'string' ? args : JSON.stringify(args) });

/** A scripted model: answers in turn, remembering every request it got. */
function scripted(...answers: ChatResult[]): CallModel & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  const fn = (async (req: ChatRequest) => {
    requests.push(structuredClone(req));
    const next = answers.length > 1 ? answers.shift() : answers[0];
    if (!next) throw new Error('script exhausted');
    return { ok: true as const, model: req.model, value: next };
  }) as CallModel & { requests: ChatRequest[] };
  fn.requests = requests;
  return fn;
}

/** Real registry and runner over an in-memory backend, with a guardrail that allows every call. */
function tools(s: StepRequested['data'], names: string[] = s.input.data ? ['lookup_input'] : []): AttemptTools {
  const registry = defaultRegistry();
  const runner = new ToolRunner(
    {
      registry,
      backend: new InMemoryToolBackend(),
      propose: async (_attempt, p) => ({ ...p, replyTo: 'me', decision: 'allow', reason: 'test', unredact: [], unredactFields: [], argsHash: canonicalHash(p.args) }),
      restore: async (_attempt, args) => ({ args, missing: [] }),
      screenResult: async (_attempt, text) => ({ text, findings: [] }),
      mode: 'run',
    },
    // The model calls are the scripted model's: the attempt's ledger is never used.
    new Attempt(createEvent('step.requested', { tenantId: 'acme', taskId: randomUUID(), causationId: null }, s), {
      ledger: { reservation: () => Promise.reject(new Error('unused')), reserve: () => Promise.reject(new Error('unused')) },
      loadVault: async () => ({}),
    }),
  );
  return { specs: ToolRunner.specs(registry, names), run: (c) => runner.run(c) };
}

/** Runs one attempt of `s` with the real tools the step offers. */
const loop = (s: StepRequested['data'], model: CallModel) => runToolLoop(s, request, model, tools(s));

describe('tool loop', () => {
  it('returns the answer of a model that calls no tool, offering no tools when the step has none', async () => {
    const model = scripted(reply('done'));
    const r = await loop(step(), model);
    expect(r).toMatchObject({ kind: 'answer', toolCalls: 0 });
    expect(r.calls).toHaveLength(1);
    expect(model.requests[0].tools).toBeUndefined();
  });

  it('runs input lookups and feeds the results back until the model answers; every call is kept for charging', async () => {
    const model = scripted(reply('', [call('lookup_input', { path: 'customer.country' })]), reply('Norway it is'));
    const r = await loop(step({ input: { text: 't', data: { customer: { country: 'NO' } } } }), model);
    expect(r).toMatchObject({ kind: 'answer', toolCalls: 1, tools: [{ name: 'lookup_input', outcome: 'ran' }] });
    expect(r.calls).toHaveLength(2);
    expect(model.requests[1].messages.at(-1)).toEqual({ role: 'tool', toolCallId: 'c-lookup_input', content: '"NO"' });
  });

  it('answers unknown tools and bad arguments with an error the model reads; they still count', async () => {
    const model = scripted(reply('', [call('delete_everything', {}), call('lookup_input', 'not json')]), reply('ok'));
    const r = await loop(step({ input: { text: 't', data: { a: 1 } } }), model);
    expect(r).toMatchObject({ kind: 'answer', toolCalls: 2 });
    expect(r.tools.map((t) => t.outcome)).toEqual(['refused', 'refused']);
    expect(model.requests[1].messages.slice(-2).map((m) => m.content)).toEqual(['error: there is no tool named delete_everything', 'error: arguments for lookup_input are not valid JSON']);
  });

  it('stops a model that calls tools forever at the budget', async () => {
    const model = scripted(reply('', [call('lookup_input', { path: 'a' })]));
    const r = await loop(step({ input: { text: 't', data: { a: 1 } }, maxToolCalls: 4 }), model);
    expect(r).toMatchObject({ kind: 'limit', toolCalls: 4 });
    expect(r.calls).toHaveLength(5);
  });

  it('offers no tools with a spent budget, and a model calling one anyway hits the limit', async () => {
    const model = scripted(reply('', [call('lookup_input', { path: 'a' })]));
    const r = await loop(step({ input: { text: 't', data: { a: 1 } }, maxToolCalls: 0 }), model);
    expect(model.requests[0].tools).toBeUndefined();
    expect(r).toMatchObject({ kind: 'limit', toolCalls: 0 });
  });

  it('hands off to an offered role with the note, and refuses a role that was not offered', async () => {
    const model = scripted(
      reply('', [call('handoff', { role: 'writer', reason: 'r', note: 'n' })]),
      reply('', [call('handoff', { role: 'sales', reason: 'pricing', note: 'Wants volume pricing.' })]),
    );
    const r = await loop(step({ handoffRoles: ['sales', 'compliance'] }), model);
    expect(model.requests[0].tools?.map((t) => t.name)).toEqual(['handoff']);
    expect(r).toMatchObject({ kind: 'handoff', toRole: 'sales', reason: 'pricing', note: 'Wants volume pricing.', toolCalls: 2 });
    expect(model.requests[1].messages.at(-1)?.content).toMatch(/role must be one of sales, compliance/);
  });

  it('ends with the error when no model can answer, keeping the calls already made', async () => {
    let n = 0;
    const model: CallModel = async (req) => (n++ === 0 ? { ok: true, model: req.model, value: reply('', [call('lookup_input', { path: 'a' })]) } : { ok: false, error: { kind: 'model', code: 'llm_timeout', message: 'slow' } });
    const r = await loop(step({ input: { text: 't', data: { a: 1 } } }), model);
    expect(r).toMatchObject({ kind: 'error', error: { code: 'llm_timeout' }, toolCalls: 1 });
    expect(r.calls).toHaveLength(1);
  });
});

describe('requestFor', () => {
  const withTools: ChatRequest = { ...request, tools: [{ name: 'lookup_input', description: 'd', parameters: {} }] };
  it('keeps the tools for a model that has the tools capability and drops them for one that has not', () => {
    const supports = (model: string, capability: string) => model === 'big' && capability === 'tools';
    expect(requestFor(withTools, 'big', supports)).toEqual({ ...withTools, model: 'big' });
    expect(requestFor(withTools, 'small', supports)).toEqual({ model: 'small', messages: request.messages });
  });
});
