import Ajv2020 from 'ajv/dist/2020';
import { startSimulator, type SimRequestLogEntry } from './sim-server';
import type { RunningSimulator } from './sim-types';

let sim: RunningSimulator;
let root: string;

beforeAll(async () => {
  sim = await startSimulator();
  root = sim.url.replace(/\/v1$/, '');
});
afterAll(() => sim.close());
beforeEach(() => call('POST', '/_sim/reset'));

/** Every field the tests read from any endpoint; a test reads only the ones its endpoint sends. */
interface Body {
  status: string;
  object: string;
  id: string;
  created: number;
  model: string;
  data: Array<{ id: string }>;
  choices: Array<{
    index: number;
    message: { role: string; content: string; tool_calls?: unknown[] };
    finish_reason: string;
  }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  error: { message: string; type: string; param: string | null; code: string | null };
  requests: SimRequestLogEntry[];
  rules: unknown[];
  added: string[];
  chaos: { faultRate: number; faults: unknown[]; latencyMs?: { min: number; max: number }; seed: string } | null;
  stats: { requests: number; injected: Record<string, number> };
}

interface Answer {
  status: number;
  body: Body;
  text: string;
}

async function call(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Answer> {
  const res = await fetch(`${root}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed as Body, text };
}

const chat = (extra: Record<string, unknown> = {}, content = 'Qualify this lead: ACME Corp, 50 seats, budget 20k.') =>
  call('POST', '/v1/chat/completions', {
    model: 'sim-mini',
    messages: [
      { role: 'system', content: 'You are a sales assistant.' },
      { role: 'user', content },
    ],
    ...extra,
  });

async function requests(): Promise<SimRequestLogEntry[]> {
  return (await call('GET', '/_sim/requests')).body.requests;
}

describe('simulator HTTP API', () => {
  it('answers health checks and lists its models', async () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(await call('GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    // Metrics are not started in this test process: a comment, still Prometheus text.
    expect(await call('GET', '/metrics')).toMatchObject({ status: 200, text: expect.stringMatching(/^# /) });
    const models = await call('GET', '/v1/models');
    expect(models.body.object).toBe('list');
    expect(models.body.data.map((m) => m.id)).toEqual(['sim-mini', 'sim-standard', 'sim-large', 'sim-reasoner']);
  });

  it('gives a deterministic plain-text completion in the OpenAI shape', async () => {
    const a = await chat();
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({
      object: 'chat.completion',
      model: 'sim-mini',
      choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'stop' }],
    });
    expect(a.body.id).toMatch(/^chatcmpl-/);
    expect(typeof a.body.created).toBe('number');
    const content: string = a.body.choices[0].message.content;
    expect(content).toContain('Qualify this lead');
    const { prompt_tokens, completion_tokens, total_tokens } = a.body.usage;
    expect(prompt_tokens).toBeGreaterThan(10);
    expect(completion_tokens).toBe(Math.ceil(content.length / 4));
    expect(total_tokens).toBe(prompt_tokens + completion_tokens);

    const again = await chat();
    expect(again.body.choices[0].message.content).toBe(content);
    expect(again.body.usage).toEqual(a.body.usage);
    const other = await chat({}, 'Summarise this resume.');
    expect(other.body.choices[0].message.content).not.toBe(content);
  });

  it('answers a json_schema request with a valid, deterministic instance', async () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      required: ['score', 'tier', 'reasons'],
      properties: {
        score: { type: 'integer', minimum: 0, maximum: 100 },
        tier: { type: 'string', enum: ['hot', 'warm', 'cold'] },
        reasons: { type: 'array', items: { type: 'string', minLength: 3 }, minItems: 1 },
      },
    };
    const format = { type: 'json_schema', json_schema: { name: 'lead_score', schema, strict: true } };
    const a = await chat({ response_format: format });
    const value: unknown = JSON.parse(a.body.choices[0].message.content);
    expect(new Ajv2020().validate(schema, value)).toBe(true);
    expect((await chat({ response_format: format })).body.choices[0].message.content).toBe(a.body.choices[0].message.content);
  });

  it('answers json_object requests with a JSON object', async () => {
    const a = await chat({ response_format: { type: 'json_object' } });
    expect(JSON.parse(a.body.choices[0].message.content)).toEqual(expect.objectContaining({ answer: expect.any(String) }));
  });

  it('cuts a default answer at the token limit with finish_reason length', async () => {
    const a = await chat({ max_completion_tokens: 3 });
    expect(a.body.choices[0].finish_reason).toBe('length');
    expect(a.body.choices[0].message.content).toHaveLength(12);
    expect((await chat({ max_tokens: 3 })).body.choices[0].finish_reason).toBe('length');
  });

  it.each([
    ['a body that is not JSON', '{"model":', /not valid JSON/, null],
    ['no messages', { model: 'sim-mini', messages: [] }, /messages/, 'messages'],
    ['no model', { messages: [{ role: 'user', content: 'x' }] }, /model/, 'model'],
    ['streaming', { model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true }, /does not stream/, 'stream'],
    ['a tool message without its call id', { model: 'm', messages: [{ role: 'tool', content: 'x' }] }, /tool_call_id/, 'messages.0.tool_call_id'],
    ['an unknown role', { model: 'm', messages: [{ role: 'robot', content: 'x' }] }, /messages/, 'messages.0.role'],
    [
      'a schema without a name',
      { model: 'm', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_schema', json_schema: { schema: {} } } },
      /name/,
      'response_format.json_schema.name',
    ],
  ])('refuses %s with an OpenAI-style 400', async (_name, body, message, param) => {
    const a = await call('POST', '/v1/chat/completions', body);
    expect(a.status).toBe(400);
    expect(a.body.error.type).toBe('invalid_request_error');
    expect(a.body.error.message).toMatch(message);
    expect(a.body.error.param).toBe(param);
  });

  it('refuses a response schema it cannot satisfy, saying why', async () => {
    const format = { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'string', pattern: '^q{50}$' } } };
    const a = await chat({ response_format: format });
    expect(a.status).toBe(400);
    expect(a.body.error).toMatchObject({ code: 'sim_unsupported_schema', param: 'response_format' });
    expect(a.body.error.message).toMatch(/script a json reply/);
  });

  it('plays scripted replies in order, then fails loudly when the script runs out', async () => {
    const added = await call('POST', '/_sim/rules', {
      id: 'lead-script',
      match: { model: 'sim-mini', contains: 'ACME' },
      replies: [{ content: 'scripted text' }, { json: { score: 91 } }],
    });
    expect(added).toMatchObject({ status: 201, body: { added: ['lead-script'] } });

    expect((await chat()).body.choices[0].message.content).toBe('scripted text');
    expect((await chat()).body.choices[0].message.content).toBe('{"score":91}');
    const third = await chat();
    expect(third.status).toBe(500);
    expect(third.body.error.message).toBe('simulator script exhausted for rule lead-script');

    expect((await chat({}, 'unrelated prompt')).body.choices[0].message.content).toMatch(/^Simulated answer/);
    const log = await requests();
    expect(log.map((r) => [r.seq, r.ruleId, r.replyIndex, r.outcome, r.status])).toEqual([
      [1, 'lead-script', 0, 'content', 200],
      [2, 'lead-script', 1, 'json', 200],
      [3, 'lead-script', undefined, 'exhausted', 500],
      [4, undefined, undefined, 'default', 200],
    ]);
    expect(log[0].body).toMatchObject({ model: 'sim-mini', messages: expect.any(Array) });
  });

  it('adds rule lists, lists them, clears them, and refuses invalid ones', async () => {
    const added = await call('POST', '/_sim/rules', [{ replies: [{ content: 'a' }] }, { id: 'b', replies: [{ content: 'b' }], repeat: true }]);
    expect(added.body.added).toHaveLength(2);
    expect((await call('GET', '/_sim/rules')).body.rules).toHaveLength(2);
    expect((await chat()).body.choices[0].message.content).toBe('b');

    const bad = await call('POST', '/_sim/rules', { match: {}, replies: [{ fault: 418 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/invalid rule #0: replies\.0/);

    expect((await call('DELETE', '/_sim/rules')).status).toBe(200);
    expect((await chat()).body.choices[0].message.content).toMatch(/^Simulated answer/);
  });

  it('returns scripted tool calls when the request declares tools', async () => {
    await call('POST', '/_sim/rules', { match: { contains: 'weather' }, replies: [{ toolCalls: [{ name: 'lookup', arguments: { city: 'Oslo' } }] }], repeat: true });
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }];
    const a = await chat({ tools }, 'weather in Oslo?');
    expect(a.body.choices[0].finish_reason).toBe('tool_calls');
    expect(a.body.choices[0].message.content).toBeNull();
    expect(a.body.choices[0].message.tool_calls).toEqual([
      { id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'lookup', arguments: '{"city":"Oslo"}' } },
    ]);

    const noTools = await chat({}, 'weather in Oslo?');
    expect(noTools.status).toBe(500);
    expect(noTools.body.error).toMatchObject({ code: 'sim_script_error' });
    expect(noTools.body.error.message).toMatch(/declares no tools/);
  });

  it.each([
    [429, 'rate_limit_exceeded'],
    [500, null],
    [503, null],
    [401, 'invalid_api_key'],
    [400, null],
  ] as const)('injects a %i fault', async (fault, code) => {
    await call('POST', '/_sim/rules', { replies: [{ fault }] });
    const a = await chat();
    expect(a.status).toBe(fault);
    expect(a.body.error.code).toBe(code);
    expect(a.body.error.message).toMatch(/simulated/);
  });

  it('lists the completions it served with their usage, tagged by a pattern of the user messages, and forgets them on reset', async () => {
    await chat({}, 'Lead [chaos:7] wants a demo.');
    const tagged = await call('POST', '/_sim/rules', { match: { contains: 'FAIL-ME' }, replies: [{ fault: 500 }] });
    expect(tagged.status).toBe(201);
    await chat({}, 'FAIL-ME [chaos:8]');
    await chat({}, 'no tag here');
    const { body } = await call('GET', `/_sim/served?tag=${encodeURIComponent('\\[chaos:(\\d+)\\]')}`);
    const calls = (body as unknown as { calls: Array<{ tag: string | null; promptTokens: number; completionTokens: number; id: string }> }).calls;
    // The 500 was not served: only answered completions are what a provider bills.
    expect(calls.map((c) => c.tag)).toEqual(['7', null]);
    expect(calls[0].promptTokens).toBeGreaterThan(0);
    expect(calls[0].completionTokens).toBeGreaterThan(0);
    expect(calls[0].id).toMatch(/^chatcmpl-sim-/);
    expect((await call('GET', '/_sim/served?tag=(')).status).toBe(400);
    await call('POST', '/_sim/reset');
    expect((await call('GET', '/_sim/served')).body).toEqual({ calls: [] });
  });

  it('injects a malformed 200', async () => {
    await call('POST', '/_sim/rules', { replies: [{ fault: 'malformed' }] });
    const a = await chat();
    expect(a.status).toBe(200);
    expect(a.body).toBeUndefined();
    expect(() => JSON.parse(a.text)).toThrow();
  });

  it('holds a timeout fault open until the client gives up', async () => {
    await call('POST', '/_sim/rules', { id: 'hang', replies: [{ fault: 'timeout' }] });
    const started = Date.now();
    await expect(
      call('POST', '/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] }, AbortSignal.timeout(300)),
    ).rejects.toThrow(/aborted|timeout/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const last = (await requests()).at(-1);
    expect(last).toMatchObject({ ruleId: 'hang', outcome: 'fault:timeout' });
    expect(last?.status).toBeUndefined();
  });

  it('waits the configured latency, per reply when the reply says so', async () => {
    await call('POST', '/_sim/rules', { replies: [{ content: 'slow', latencyMs: 200 }, { content: 'fast' }] });
    let t = Date.now();
    expect((await chat()).body.choices[0].message.content).toBe('slow');
    expect(Date.now() - t).toBeGreaterThanOrEqual(190);
    t = Date.now();
    await chat();
    expect(Date.now() - t).toBeLessThan(150);
  });

  it('injects chaos faults into unmatched requests only, counts them, and switches off', async () => {
    await call('POST', '/_sim/rules', { id: 'exact', match: { contains: 'scripted' }, replies: [{ content: 'untouched' }], repeat: true });
    const set = await call('PUT', '/_sim/chaos', { faultRate: 1, faults: [429], seed: 3 });
    expect(set).toMatchObject({ status: 200, body: { chaos: { faultRate: 1, faults: [429], seed: '3' } } });

    const hit = await chat();
    expect(hit.status).toBe(429);
    expect(hit.body.error.code).toBe('rate_limit_exceeded');
    expect((await chat({}, 'a scripted prompt')).body.choices[0].message.content).toBe('untouched');
    expect((await requests()).map((r) => r.outcome)).toEqual(['chaos:429', 'content']);
    expect((await call('GET', '/_sim/chaos')).body.stats).toEqual({ requests: 1, injected: { '429': 1 } });

    expect((await call('DELETE', '/_sim/chaos')).body.chaos).toBeNull();
    expect((await chat()).status).toBe(200);
  });

  it('draws the same faults again for the same seed', async () => {
    const outcomes = async () => {
      await call('PUT', '/_sim/chaos', { faultRate: 0.5, faults: [500, 'malformed'], seed: 'same' });
      const statuses: string[] = [];
      for (let i = 0; i < 12; i++) {
        const a = await chat();
        statuses.push(`${a.status}:${a.body === undefined ? 'cut' : 'json'}`);
      }
      return statuses;
    };
    const first = await outcomes();
    expect(first).toContain('200:json');
    expect(first.some((s) => s !== '200:json')).toBe(true);
    expect(await outcomes()).toEqual(first);
  });

  it('delays unmatched requests by the chaos latency', async () => {
    await call('PUT', '/_sim/chaos', { latencyMs: { min: 150, max: 200 } });
    const t = Date.now();
    expect((await chat()).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
  });

  it('holds a chaos timeout open', async () => {
    await call('PUT', '/_sim/chaos', { faultRate: 1, faults: ['timeout'] });
    await expect(
      call('POST', '/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] }, AbortSignal.timeout(200)),
    ).rejects.toThrow(/aborted|timeout/i);
    expect((await requests()).at(-1)).toMatchObject({ outcome: 'chaos:timeout' });
  });

  it('refuses a bad chaos body with a 400 naming the field, keeping the chaos in force', async () => {
    await call('PUT', '/_sim/chaos', { faultRate: 0.2 });
    const bad = await call('PUT', '/_sim/chaos', { faultRate: 0.2, faults: ['sometimes'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ type: 'invalid_request_error', param: 'faults.0' });
    expect(bad.body.error.message).toMatch(/^faults\.0: /);
    expect((await call('PUT', '/_sim/chaos', { faultRate: 2 })).body.error.param).toBe('faultRate');
    expect((await call('GET', '/_sim/chaos')).body.chaos).toMatchObject({ faultRate: 0.2 });
  });

  it('switches chaos off on reset when the simulator started without it', async () => {
    await call('PUT', '/_sim/chaos', { faultRate: 1 });
    await call('POST', '/_sim/reset');
    expect((await call('GET', '/_sim/chaos')).body.chaos).toBeNull();
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    expect((await call('GET', '/v1/embeddings')).status).toBe(404);
    expect((await call('GET', '/v1/chat/completions')).status).toBe(405);
    expect((await call('PUT', '/_sim/rules', {})).status).toBe(405);
    expect((await call('POST', '/_sim/chaos', {})).status).toBe(405);
  });

  it('keeps a bounded request log and empties it on reset', async () => {
    await Promise.all(Array.from({ length: 210 }, () => call('POST', '/v1/chat/completions', { model: 'm', messages: [] })));
    const log = await requests();
    expect(log).toHaveLength(200);
    expect(log.at(-1)?.seq).toBe(210);
    await call('POST', '/_sim/reset');
    expect(await requests()).toEqual([]);
  });
});

describe('startSimulator', () => {
  it('applies the simulator-wide latency and startup rules', async () => {
    const own = await startSimulator({ latencyMs: 150, rules: [{ id: 'boot', match: {}, replies: [{ content: 'from boot' }] }] });
    try {
      const t = Date.now();
      const res = await fetch(`${own.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
      });
      const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
      expect(body.choices[0].message.content).toBe('from boot');
      expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    } finally {
      await own.close();
    }
  });

  it('starts with the chaos and the latency range it is given', async () => {
    const own = await startSimulator({ latencyMs: { min: 10, max: 20 }, seed: 's', chaos: { faultRate: 1, faults: [503] } });
    try {
      const res = await fetch(`${own.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(res.status).toBe(503);
      const view = (await (await fetch(`${own.url.replace(/\/v1$/, '')}/_sim/chaos`)).json()) as Body & { baseLatencyMs: unknown };
      expect(view).toMatchObject({ chaos: { faultRate: 1, faults: [503], seed: 's' }, baseLatencyMs: { min: 10, max: 20 } });
    } finally {
      await own.close();
    }
  });

  it('changes default answers with the seed, deterministically', async () => {
    const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'same prompt' }] });
    const answer = async (seed: string) => {
      const s = await startSimulator({ seed });
      try {
        const res = await fetch(`${s.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        return ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content;
      } finally {
        await s.close();
      }
    };
    expect(await answer('one')).toBe(await answer('one'));
    expect(await answer('one')).not.toBe(await answer('two'));
  });

  it('rejects invalid startup rules and a port in use', async () => {
    await expect(startSimulator({ rules: [{ match: {}, replies: [] }] })).rejects.toThrow(/invalid rule #0/);
    await expect(startSimulator({ port: sim.port })).rejects.toThrow(/EADDRINUSE/);
  });

  it('closes promptly while a request is held open', async () => {
    const own = await startSimulator({ rules: [{ match: {}, replies: [{ fault: 'timeout' }] }] });
    const pending = fetch(`${own.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    }).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((r) => setTimeout(r, 50));
    const t = Date.now();
    await own.close();
    expect(Date.now() - t).toBeLessThan(1000);
    expect(await pending).toBe('dropped');
  });
});
