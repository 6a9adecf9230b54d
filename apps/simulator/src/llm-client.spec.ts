// LlmClient (libs/llm) against this simulator in-process: the contract between Baton's
// only model client and the fake every other test relies on. Lives here because a lib
// may not import an app; the simulator may use the lib.
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Attr, SpanEvent } from '@baton/telemetry';
import { LlmClient, LlmError, ModelCatalog, ModelCatalogError, priceMicros, type ChatRequest } from '@baton/llm';
import Ajv2020 from 'ajv/dist/2020';
import { createServer } from 'node:net';
import { startSimulator, type SimRequestLogEntry } from './sim-server';
import type { RunningSimulator, SimRuleInput } from './sim-types';

const spans = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));

let sim: RunningSimulator;
let client: LlmClient;
const catalog = ModelCatalog.fromFile();

beforeAll(async () => {
  sim = await startSimulator();
  client = new LlmClient(catalog, { defaultBaseUrl: sim.url, timeoutMs: 1000, maxRetries: 2, retryBaseDelayMs: 5 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  spans.reset();
  await fetch(`${sim.url.replace(/\/v1$/, '')}/_sim/reset`, { method: 'POST' });
});

const PROMPT = 'Qualify this lead: ACME Corp wants 50 seats, budget 20k, decision in Q3.';
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'sim-mini',
  messages: [
    { role: 'system', content: 'You qualify sales leads.' },
    { role: 'user', content: PROMPT },
  ],
  ...extra,
});

async function script(rules: SimRuleInput | SimRuleInput[]): Promise<void> {
  const res = await fetch(`${sim.url.replace(/\/v1$/, '')}/_sim/rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rules),
  });
  expect(res.status).toBe(201);
}

async function requests(): Promise<SimRequestLogEntry[]> {
  const res = await fetch(`${sim.url.replace(/\/v1$/, '')}/_sim/requests`);
  return ((await res.json()) as { requests: SimRequestLogEntry[] }).requests;
}

async function failure(p: Promise<unknown>): Promise<LlmError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof LlmError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('LlmClient against the simulator', () => {
  it('returns content, usage and identity for a default answer', async () => {
    const result = await client.chat(ask());
    expect(result).toMatchObject({
      toolCalls: [],
      finishReason: 'stop',
      model: 'sim-mini',
      provider: 'simulator',
      responseModel: 'sim-mini',
    });
    expect(result.content).toContain('Qualify this lead');
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    expect(result.usage.completionTokens).toBe(Math.ceil(result.content.length / 4));
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect((await client.chat(ask())).content).toBe(result.content);
  });

  it('sends the provider model name, temperature and token limit', async () => {
    await client.chat(ask({ model: 'sim-standard', temperature: 0.1, maxTokens: 200 }));
    const [entry] = await requests();
    expect(entry.body).toMatchObject({ model: 'sim-standard', temperature: 0.1, max_completion_tokens: 200 });
  });

  it('gets JSON satisfying a response schema, asked for in strict mode', async () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      required: ['score', 'tier', 'summary'],
      properties: {
        score: { type: 'integer', minimum: 0, maximum: 100 },
        tier: { type: 'string', enum: ['hot', 'warm', 'cold'] },
        summary: { type: 'string', minLength: 10 },
      },
    };
    const result = await client.chat(ask({ responseSchema: { name: 'lead_score', schema } }));
    expect(new Ajv2020().validate(schema, JSON.parse(result.content))).toBe(true);
    const [entry] = await requests();
    expect(entry.body).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'lead_score', schema, strict: true } },
    });
  });

  it('runs a tool round trip', async () => {
    await script({ match: { contains: 'weather' }, replies: [{ toolCalls: [{ name: 'lookup', arguments: { city: 'Oslo' } }] }] });
    const tools = [{ name: 'lookup', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];
    const first = await client.chat({ model: 'sim-standard', tools, messages: [{ role: 'user', content: 'weather in Oslo?' }] });
    expect(first.finishReason).toBe('tool_calls');
    expect(first.content).toBe('');
    expect(first.toolCalls).toEqual([{ id: expect.stringMatching(/^call_/), name: 'lookup', arguments: '{"city":"Oslo"}' }]);

    await script({ match: { contains: '"temp"' }, replies: [{ content: 'It is 3 degrees.' }] });
    const second = await client.chat({
      model: 'sim-standard',
      tools,
      messages: [
        { role: 'user', content: 'weather in Oslo?' },
        { role: 'assistant', content: '', toolCalls: first.toolCalls },
        { role: 'tool', content: '{"temp":3}', toolCallId: first.toolCalls[0].id },
      ],
    });
    expect(second.content).toBe('It is 3 degrees.');
  });

  it('retries a rate limit and succeeds', async () => {
    await script({ id: 'flaky', match: {}, replies: [{ fault: 429 }, { fault: 503 }, { content: 'third time lucky' }] });
    expect((await client.chat(ask())).content).toBe('third time lucky');
    expect((await requests()).map((r) => r.outcome)).toEqual(['fault:429', 'fault:503', 'content']);
  });

  it('gives up on server errors after maxRetries with a retryable server_error', async () => {
    await script({ match: {}, replies: [{ fault: 500 }], repeat: true });
    const err = await failure(client.chat(ask()));
    expect(err).toMatchObject({ kind: 'server_error', retryable: true, status: 500 });
    expect(await requests()).toHaveLength(3);
  });

  it('surfaces an exhausted script as a server error naming the rule', async () => {
    await script({ id: 'once', match: {}, replies: [{ content: 'only one' }] });
    await client.chat(ask());
    const err = await failure(client.chat(ask()));
    expect(err.kind).toBe('server_error');
    expect(err.message).toContain('simulator script exhausted for rule once');
  });

  it.each([
    [401, 'auth'],
    [400, 'bad_request'],
  ] as const)('does not retry a %i (%s)', async (fault, kind) => {
    await script({ match: {}, replies: [{ fault }], repeat: true });
    const err = await failure(client.chat(ask()));
    expect(err).toMatchObject({ kind, retryable: false, status: fault });
    expect(await requests()).toHaveLength(1);
  });

  it('names the missing key variable on an auth failure', async () => {
    const keyed = ModelCatalog.fromSpecs([{ ...catalog.get('sim-mini'), apiKeyEnv: 'BATON_TEST_UNSET_KEY' }]);
    delete process.env.BATON_TEST_UNSET_KEY;
    await script({ match: {}, replies: [{ fault: 401 }] });
    const err = await failure(new LlmClient(keyed, { defaultBaseUrl: sim.url }).chat(ask()));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('BATON_TEST_UNSET_KEY');
  });

  it('reports a malformed body as bad_response without retrying', async () => {
    await script({ match: {}, replies: [{ fault: 'malformed' }], repeat: true });
    const err = await failure(client.chat(ask()));
    expect(err).toMatchObject({ kind: 'bad_response', retryable: false });
    expect(await requests()).toHaveLength(1);
  });

  it('times out a held request, retrying it as a timeout', async () => {
    await script({ match: {}, replies: [{ fault: 'timeout' }], repeat: true });
    const quick = new LlmClient(catalog, { defaultBaseUrl: sim.url, timeoutMs: 150, maxRetries: 1, retryBaseDelayMs: 5 });
    const started = Date.now();
    const err = await failure(quick.chat(ask()));
    expect(err).toMatchObject({ kind: 'timeout', retryable: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(await requests()).toHaveLength(2);
  });

  it('stops at once when the caller aborts', async () => {
    await script({ match: {}, replies: [{ fault: 'timeout' }], repeat: true });
    const err = await failure(client.chat(ask({ signal: AbortSignal.timeout(100) })));
    expect(err).toMatchObject({ kind: 'timeout', retryable: false });
    expect(await requests()).toHaveLength(1);
  });

  it('reports an unreachable endpoint as a retryable server_error', async () => {
    const port = await freePort();
    const down = new LlmClient(catalog, { defaultBaseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 1, retryBaseDelayMs: 5 });
    const err = await failure(down.chat(ask()));
    expect(err).toMatchObject({ kind: 'server_error', retryable: true });
    expect(err.message).toMatch(/not reachable/);
  });

  it('uses a model’s own baseUrl over the default endpoint', async () => {
    const other = await startSimulator({ rules: [{ match: {}, replies: [{ content: 'from the other endpoint' }] }] });
    try {
      const own = ModelCatalog.fromSpecs([{ ...catalog.get('sim-mini'), id: 'elsewhere', baseUrl: other.url }]);
      const result = await new LlmClient(own, { defaultBaseUrl: sim.url }).chat(ask({ model: 'elsewhere' }));
      expect(result.content).toBe('from the other endpoint');
      expect(await requests()).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('refuses unknown models and capabilities the model lacks before calling', async () => {
    await expect(client.chat(ask({ model: 'gpt-imaginary' }))).rejects.toThrow(ModelCatalogError);
    const err = await failure(client.chat(ask({ tools: [{ name: 't', description: 'd', parameters: {} }] })));
    expect(err).toMatchObject({ kind: 'bad_request', retryable: false });
    expect(await requests()).toHaveLength(0);
  });

  it('records one client span with gen_ai attributes and no prompt or completion text', async () => {
    const result = await client.chat(ask());
    const [span] = spans.getFinishedSpans();
    expect(span.name).toBe('chat sim-mini');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toEqual({
      [Attr.genAiOperation]: 'chat',
      [Attr.genAiSystem]: 'simulator',
      [Attr.genAiRequestModel]: 'sim-mini',
      [Attr.genAiResponseModel]: 'sim-mini',
      [Attr.genAiInputTokens]: result.usage.promptTokens,
      [Attr.genAiOutputTokens]: result.usage.completionTokens,
      [Attr.genAiFinishReasons]: ['stop'],
      [Attr.costMicros]: priceMicros(catalog.get('sim-mini'), result.usage.promptTokens, result.usage.completionTokens),
    });
    const registered = new Set<string>(Object.values(Attr));
    for (const key of Object.keys(span.attributes)) expect(registered).toContain(key);
    const everything = JSON.stringify({ attributes: span.attributes, events: span.events, status: span.status });
    expect(everything).not.toContain('ACME');
    expect(everything).not.toContain(result.content.slice(0, 20));
  });

  it('marks a failed call’s span as an error and notes each retry', async () => {
    await script({ match: {}, replies: [{ fault: 429 }], repeat: true });
    await failure(client.chat(ask()));
    const [span] = spans.getFinishedSpans();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'rate_limited (429)' });
    expect(span.events.map((e) => e.name)).toEqual([SpanEvent.llmRetry, SpanEvent.llmRetry]);
    expect(span.events.map((e) => e.attributes?.[Attr.llmRetryReason])).toEqual(['rate_limited', 'rate_limited']);
  });

  it('puts the conversation and the answer on the span only when asked to, through the redactor', async () => {
    const redacting = new LlmClient(catalog, {
      defaultBaseUrl: sim.url,
      timeoutMs: 1000,
      maxRetries: 0,
      traceContent: (text) => text.replace(/ACME/g, '[ORG_1]'),
    });
    await script({ match: {}, replies: [{ content: 'ACME looks qualified.' }] });
    const result = await redacting.chat(ask({ maxTokens: 64 }));
    expect(result.content).toBe('ACME looks qualified.');
    const [span] = spans.getFinishedSpans();
    expect(span.attributes[Attr.genAiRequestMaxTokens]).toBe(64);
    const input = JSON.parse(String(span.attributes[Attr.genAiInputMessages])) as Array<{ role: string; parts: Array<{ type: string; content: string }> }>;
    expect(input.map((m) => m.role)).toEqual(['system', 'user']);
    expect(input[1].parts).toEqual([{ type: 'text', content: PROMPT.replace('ACME', '[ORG_1]') }]);
    const output = JSON.parse(String(span.attributes[Attr.genAiOutputMessages])) as Array<{ role: string; parts: unknown[] }>;
    expect(output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: '[ORG_1] looks qualified.' }] }]);
    expect(JSON.stringify(span.attributes)).not.toContain('ACME');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
