import { LlmError } from './llm-error';
import type { ModelSpec } from './model-catalog';
import { parseCompletion, toCompletionParams } from './openai-mapping';

const spec: ModelSpec = {
  id: 'standard',
  provider: 'simulator',
  providerModel: 'sim-standard',
  inputPricePerMTokens: 0.4,
  outputPricePerMTokens: 1.6,
  contextWindow: 65536,
  maxOutputTokens: 8192,
  capabilities: ['chat', 'json', 'tools'],
};
const chatOnly: ModelSpec = { ...spec, id: 'mini', capabilities: ['chat'] };

describe('toCompletionParams', () => {
  it('sends the provider model name and maps messages, tool calls and tool answers', () => {
    const params = toCompletionParams(
      {
        model: 'standard',
        temperature: 0.2,
        maxTokens: 500,
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'weather?' },
          { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'lookup', arguments: '{"city":"Oslo"}' }] },
          { role: 'tool', content: '{"temp":3}', toolCallId: 'c1' },
        ],
      },
      spec,
    );
    expect(params).toEqual({
      model: 'sim-standard',
      temperature: 0.2,
      max_completion_tokens: 500,
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"city":"Oslo"}' } }],
        },
        { role: 'tool', content: '{"temp":3}', tool_call_id: 'c1' },
      ],
    });
  });

  it('asks for strict JSON Schema output and declares function tools', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
    const params = toCompletionParams(
      {
        model: 'standard',
        messages: [{ role: 'user', content: 'x' }],
        responseSchema: { name: 'answer', schema },
        tools: [{ name: 'lookup', description: 'find', parameters: { type: 'object' } }],
      },
      spec,
    );
    expect(params.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } });
    expect(params.tools).toEqual([
      { type: 'function', function: { name: 'lookup', description: 'find', parameters: { type: 'object' } } },
    ]);
    expect(params).not.toHaveProperty('temperature');
    expect(params).not.toHaveProperty('max_completion_tokens');
  });

  it.each([
    ['no messages', { model: 'standard', messages: [] }, spec, /at least one message/],
    [
      'a schema for a model without json',
      { model: 'mini', messages: [{ role: 'user', content: 'x' }], responseSchema: { name: 'a', schema: {} } },
      chatOnly,
      /lacks the "json" capability/,
    ],
    [
      'tools for a model without tools',
      { model: 'mini', messages: [{ role: 'user', content: 'x' }], tools: [{ name: 't', description: '', parameters: {} }] },
      chatOnly,
      /lacks the "tools" capability/,
    ],
    ['too many output tokens', { model: 'standard', messages: [{ role: 'user', content: 'x' }], maxTokens: 9000 }, spec, /exceeds the 8192/],
    ['a zero token limit', { model: 'standard', messages: [{ role: 'user', content: 'x' }], maxTokens: 0 }, spec, /positive integer/],
    ['a tool message without its call id', { model: 'standard', messages: [{ role: 'tool', content: 'x' }] }, spec, /needs toolCallId/],
  ] as const)('refuses %s as bad_request', (_name, req, model, message) => {
    let err: unknown;
    try {
      toCompletionParams(req as unknown as Parameters<typeof toCompletionParams>[0], model);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({ kind: 'bad_request', retryable: false });
    expect((err as Error).message).toMatch(message);
  });
});

describe('parseCompletion', () => {
  const body = {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    model: 'sim-standard-2025',
    choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
  };

  it('extracts content, finish reason, usage and the responding model', () => {
    expect(parseCompletion(body)).toEqual({
      content: 'hi',
      toolCalls: [],
      finishReason: 'stop',
      usage: { promptTokens: 12, completionTokens: 3 },
      responseModel: 'sim-standard-2025',
    });
  });

  it('extracts function tool calls and ignores other kinds', () => {
    const withTools = {
      ...body,
      choices: [
        {
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{}' } },
              { id: 'c2', type: 'custom', custom: { name: 'free', input: 'x' } },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
    };
    expect(parseCompletion(withTools)).toMatchObject({
      content: '',
      toolCalls: [{ id: 'c1', name: 'lookup', arguments: '{}' }],
      finishReason: 'tool_calls',
    });
  });

  it.each([
    ['no choices', { ...body, choices: [] }],
    ['no usage', { ...body, usage: undefined }],
    ['a string body', '<html>oops</html>'],
    ['null', null],
    ['choices that are not a list', { ...body, choices: 'nope' }],
  ])('rejects %s as bad_response', (_name, raw) => {
    expect(() => parseCompletion(raw)).toThrow(LlmError);
    try {
      parseCompletion(raw);
    } catch (e) {
      expect(e).toMatchObject({ kind: 'bad_response', retryable: false });
    }
  });
});
