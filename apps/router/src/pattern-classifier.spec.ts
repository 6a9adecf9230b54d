import { LlmUsage } from '@baton/contracts';
import { LlmError, type ChatRequest, type ChatResult, type ModelSpec } from '@baton/llm';
import {
  CLASSIFIER_RESPONSE_SCHEMA,
  CLASSIFY_STEP_ID,
  MAX_CLASSIFIER_INPUT_CHARS,
  PatternClassifier,
  classifierRequest,
  readAnswer,
  type ChatPort,
} from './pattern-classifier';
import type { PatternTask } from './pattern-choice';

/** A chat port answering from a script, in order; it fails loudly when the script runs out. */
class ScriptedChat implements ChatPort {
  readonly requests: ChatRequest[] = [];
  constructor(private readonly script: Array<string | Error>) {}

  chat(request: ChatRequest): Promise<ChatResult> {
    this.requests.push(request);
    const next = this.script.shift();
    if (next === undefined) return Promise.reject(new Error('the scripted chat has no reply left'));
    if (next instanceof Error) return Promise.reject(next);
    return Promise.resolve({
      content: next,
      toolCalls: [],
      finishReason: 'stop',
      usage: { promptTokens: 120, completionTokens: 18 },
      latencyMs: 42,
      model: request.model,
      provider: 'simulator',
      responseModel: request.model,
    });
  }
}

function model(id: string, over: Partial<ModelSpec> = {}): ModelSpec {
  return { id, provider: 'simulator', providerModel: id, inputPricePerMTokens: 1, outputPricePerMTokens: 2, contextWindow: 32_000, maxOutputTokens: 4_000, capabilities: ['chat', 'json'], ...over };
}
const chatOnly = model('chat-only', { inputPricePerMTokens: 0.01, outputPricePerMTokens: 0.01, capabilities: ['chat'] });
const mini = model('mini', { inputPricePerMTokens: 0.15, outputPricePerMTokens: 0.6 });
const large = model('large', { inputPricePerMTokens: 2.5, outputPricePerMTokens: 10 });
const models = [large, chatOnly, mini];

const task: PatternTask = { taskType: 'market.question', instruction: 'Tell us where to expand.', input: { text: 'We sell bikes in Lyon and Porto.' } };
const none = new Set<string>();

describe('PatternClassifier', () => {
  it("turns a valid answer into the model's pattern, and reports the call's usage", async () => {
    const chat = new ScriptedChat([JSON.stringify({ pattern: 'plan', reason: 'It needs market research, then a recommendation.' })]);
    const result = await new PatternClassifier(chat, models, { fallback: 'single' }).classify(task, none);
    expect(result.pick).toEqual({ pattern: 'plan', source: 'classifier', reason: 'classifier: It needs market research, then a recommendation.' });
    expect(result.failure).toBeUndefined();
    expect(result.usage).toEqual({ stepId: CLASSIFY_STEP_ID, attempt: 1, model: 'mini', provider: 'simulator', promptTokens: 120, completionTokens: 18, latencyMs: 42 });
    expect(LlmUsage.data.safeParse(result.usage).success).toBe(true);
  });

  it('asks the cheapest model with json whose breaker is closed, unless one is configured', async () => {
    const answer = JSON.stringify({ pattern: 'single', reason: 'One answer will do.' });
    const chat = new ScriptedChat([answer, answer, answer]);
    await new PatternClassifier(chat, models, { fallback: 'single' }).classify(task, none);
    await new PatternClassifier(chat, models, { fallback: 'single' }).classify(task, new Set(['mini']));
    await new PatternClassifier(chat, models, { model: 'large', fallback: 'single' }).classify(task, none);
    expect(chat.requests.map((r) => r.model)).toEqual(['mini', 'large', 'large']);
  });

  it('falls back to the default pattern on an answer that is not JSON, still reporting the usage', async () => {
    const chat = new ScriptedChat(['I think a plan would be best.']);
    const result = await new PatternClassifier(chat, models, { fallback: 'debate' }).classify(task, none);
    expect(result.pick).toEqual({ pattern: 'debate', source: 'default', reason: 'classifier failed: invalid_answer' });
    expect(result.failure).toBe('invalid_answer');
    // The tokens were spent all the same: the task pays for them.
    expect(result.usage?.completionTokens).toBe(18);
  });

  it.each([
    ['an unknown pattern', { pattern: 'workflow', reason: 'x' }],
    ['a missing reason', { pattern: 'plan' }],
    ['an empty reason', { pattern: 'plan', reason: '  ' }],
    ['an extra field', { pattern: 'plan', reason: 'x', confidence: 0.9 }],
  ])('refuses %s', async (_name, answer) => {
    const chat = new ScriptedChat([JSON.stringify(answer)]);
    const result = await new PatternClassifier(chat, models, { fallback: 'single' }).classify(task, none);
    expect(result.pick.reason).toBe('classifier failed: invalid_answer');
  });

  it('falls back to the default pattern on a model error, naming its kind, with no usage', async () => {
    const chat = new ScriptedChat([new LlmError('timeout', 'model call timed out')]);
    const result = await new PatternClassifier(chat, models, { fallback: 'single' }).classify(task, none);
    expect(result).toEqual({ pick: { pattern: 'single', source: 'default', reason: 'classifier failed: llm_timeout' }, failure: 'llm_timeout' });
  });

  it('does not throw on an unexpected error either', async () => {
    const chat = new ScriptedChat([new Error('boom')]);
    const result = await new PatternClassifier(chat, models, { fallback: 'single' }).classify(task, none);
    expect(result.pick.reason).toBe('classifier failed: classifier_error');
  });

  it('asks no model when every json model has its breaker open', async () => {
    const chat = new ScriptedChat([]);
    const result = await new PatternClassifier(chat, models, { fallback: 'single' }).classify(task, new Set(['mini', 'large']));
    expect(result.pick.reason).toBe('classifier failed: no_eligible_model');
    expect(chat.requests).toEqual([]);
  });

  it('refuses to start with a configured model that is not in the catalog or lacks json', () => {
    const chat = new ScriptedChat([]);
    expect(() => new PatternClassifier(chat, models, { model: 'nope', fallback: 'single' })).toThrow(/patterns\.classifier\.model nope is not in the model catalog \(large, chat-only, mini\)/);
    expect(() => new PatternClassifier(chat, models, { model: 'chat-only', fallback: 'single' })).toThrow(/lacks the json capability/);
  });
});

describe('classifierRequest', () => {
  it('asks for the answer through the response schema, deterministically and briefly', () => {
    const request = classifierRequest(task, mini);
    expect(request.model).toBe('mini');
    expect(request.responseSchema).toEqual({ name: 'pattern_choice', schema: CLASSIFIER_RESPONSE_SCHEMA });
    expect(request.temperature).toBe(0);
    expect(request.maxTokens).toBe(200);
    expect(classifierRequest(task, model('tiny', { maxOutputTokens: 64 })).maxTokens).toBe(64);
    const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
    expect(user).toContain('Task type: market.question');
    expect(user).toContain('Instruction: Tell us where to expand.');
    expect(user).toContain('We sell bikes in Lyon and Porto.');
  });

  it('sends only the start of a long input', () => {
    const long = { ...task, input: { text: 'x'.repeat(MAX_CLASSIFIER_INPUT_CHARS + 1000) } };
    const user = classifierRequest(long, mini).messages.find((m) => m.role === 'user')?.content ?? '';
    expect(user).toContain(`${'x'.repeat(MAX_CLASSIFIER_INPUT_CHARS)} [...]`);
    expect(user).not.toContain('x'.repeat(MAX_CLASSIFIER_INPUT_CHARS + 1));
  });

  it('has a schema that strict structured output accepts: every property required, no others', () => {
    const schema = CLASSIFIER_RESPONSE_SCHEMA as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    expect(Object.keys(schema.properties).sort()).toEqual([...schema.required].sort());
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('readAnswer', () => {
  it('reads a valid answer and trims its reason', () => {
    expect(readAnswer('{"pattern":"debate","reason":" Two options to weigh. "}')).toEqual({ ok: true, answer: { pattern: 'debate', reason: 'Two options to weigh.' } });
  });

  it('refuses broken JSON', () => {
    expect(readAnswer('{"pattern":')).toEqual({ ok: false });
  });

  describe('with a spend gate (the router reserves the call like any agent call)', () => {
    /** A gate that records what it was asked; `grant` false refuses like an exhausted budget. */
    const gate = (grant: boolean) => {
      const calls: string[] = [];
      return {
        calls,
        reserve: async (_req: ChatRequest, m: ModelSpec) => {
          calls.push(`reserve ${m.id}`);
          return grant ? { id: 'res-1', scopes: ['task:t'] } : null;
        },
        release: async (id: string) => void calls.push(`release ${id}`),
      };
    };

    it('reserves before the call and hands the reservation to the usage, to be settled at the actual cost', async () => {
      const chat = new ScriptedChat([JSON.stringify({ pattern: 'single', reason: 'One answer will do.' })]);
      const g = gate(true);
      const result = await new PatternClassifier(chat, models, { fallback: 'single' }).classify(task, none, g);
      expect(g.calls).toEqual(['reserve mini']);
      expect(result.usage?.reservation).toEqual({ id: 'res-1', scopes: ['task:t'] });
      expect(LlmUsage.data.safeParse(result.usage).success).toBe(true);
    });

    it('releases the reservation of a call that failed (nothing was spent)', async () => {
      const chat = new ScriptedChat([new LlmError('server_error', 'boom')]);
      const g = gate(true);
      const result = await new PatternClassifier(chat, models, { fallback: 'single' }).classify(task, none, g);
      expect(result.failure).toBe('llm_server_error');
      expect(g.calls).toEqual(['reserve mini', 'release res-1']);
      expect(result.usage).toBeUndefined();
    });

    it('does not call the model when a budget cannot cover it, and takes the default pattern', async () => {
      const chat = new ScriptedChat([]);
      const result = await new PatternClassifier(chat, models, { fallback: 'single' }).classify(task, none, gate(false));
      expect(result.failure).toBe('budget_exhausted');
      expect(result.pick.pattern).toBe('single');
      expect(chat.requests).toEqual([]);
    });
  });
});
