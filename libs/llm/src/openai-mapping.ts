import type OpenAI from 'openai';
import { z } from 'zod';
import type { ChatMessage, ChatRequest, ToolCall } from './chat-types';
import { LlmError } from './llm-error';
import type { ModelSpec } from './model-catalog';

type CompletionParams = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
type MessageParam = OpenAI.Chat.ChatCompletionMessageParam;

/**
 * Builds the Chat Completions request body. Fails with `bad_request` before any network
 * call when the request asks for something the catalog says the model cannot do: the
 * router should never pick such a model, so doing it anyway is a bug worth surfacing.
 */
export function toCompletionParams(req: ChatRequest, spec: ModelSpec): CompletionParams {
  if (req.messages.length === 0) throw new LlmError('bad_request', 'a chat request needs at least one message');
  if (req.responseSchema && !spec.capabilities.includes('json')) {
    throw new LlmError('bad_request', `model "${spec.id}" lacks the "json" capability needed for a response schema`);
  }
  if (req.tools?.length && !spec.capabilities.includes('tools')) {
    throw new LlmError('bad_request', `model "${spec.id}" lacks the "tools" capability`);
  }
  if (req.maxTokens !== undefined && (!Number.isInteger(req.maxTokens) || req.maxTokens < 1)) {
    throw new LlmError('bad_request', `maxTokens must be a positive integer, got ${req.maxTokens}`);
  }
  if (req.maxTokens !== undefined && req.maxTokens > spec.maxOutputTokens) {
    throw new LlmError(
      'bad_request',
      `maxTokens ${req.maxTokens} exceeds the ${spec.maxOutputTokens} output tokens of model "${spec.id}"`,
    );
  }
  const params: CompletionParams = { model: spec.providerModel, messages: req.messages.map(toMessageParam) };
  if (req.temperature !== undefined) params.temperature = req.temperature;
  // `max_tokens` is deprecated and refused by OpenAI's reasoning models; compatible servers accept the new name.
  if (req.maxTokens !== undefined) params.max_completion_tokens = req.maxTokens;
  if (req.responseSchema) {
    params.response_format = {
      type: 'json_schema',
      json_schema: { name: req.responseSchema.name, schema: req.responseSchema.schema, strict: true },
    };
  }
  if (req.tools?.length) {
    params.tools = req.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
  }
  return params;
}

function toMessageParam(m: ChatMessage, index: number): MessageParam {
  switch (m.role) {
    case 'system':
      return { role: 'system', content: m.content };
    case 'user':
      return { role: 'user', content: m.content };
    case 'assistant': {
      if (!m.toolCalls?.length) return { role: 'assistant', content: m.content };
      return {
        role: 'assistant',
        // The API wants null rather than "" next to tool calls.
        content: m.content === '' ? null : m.content,
        tool_calls: m.toolCalls.map((c) => ({
          id: c.id,
          type: 'function',
          function: { name: c.name, arguments: c.arguments },
        })),
      };
    }
    case 'tool':
      if (!m.toolCallId) throw new LlmError('bad_request', `messages[${index}]: a tool message needs toolCallId`);
      return { role: 'tool', content: m.content, tool_call_id: m.toolCallId };
    default:
      throw new LlmError('bad_request', `messages[${index}]: unknown role ${String((m as { role: unknown }).role)}`);
  }
}

/** The parts of a completion Baton relies on; anything else the provider sends is ignored. */
const CompletionBody = z.object({
  model: z.string(),
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          tool_calls: z
            .array(
              z.object({
                id: z.string(),
                type: z.string(),
                function: z.object({ name: z.string(), arguments: z.string() }).optional(),
              }),
            )
            .nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1, 'no choices'),
  usage: z.object({
    prompt_tokens: z.number().int().nonnegative(),
    completion_tokens: z.number().int().nonnegative(),
  }),
});

/** What the client needs from a completion body. */
export interface ParsedCompletion {
  content: string;
  toolCalls: ToolCall[];
  finishReason: string;
  usage: { promptTokens: number; completionTokens: number };
  responseModel: string;
}

/** Checks a completion body; a body without choices or usage is a `bad_response`. */
export function parseCompletion(raw: unknown): ParsedCompletion {
  const result = CompletionBody.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new LlmError('bad_response', `model endpoint sent an invalid completion: ${issues}`);
  }
  const body = result.data;
  const choice = body.choices[0];
  const toolCalls: ToolCall[] = [];
  for (const call of choice.message.tool_calls ?? []) {
    // Custom (free-text) tools are never declared by Baton, so only function calls can be meant for us.
    if (call.type === 'function' && call.function) {
      toolCalls.push({ id: call.id, name: call.function.name, arguments: call.function.arguments });
    }
  }
  return {
    content: choice.message.content ?? '',
    toolCalls,
    finishReason: choice.finish_reason ?? (toolCalls.length ? 'tool_calls' : 'stop'),
    usage: { promptTokens: body.usage.prompt_tokens, completionTokens: body.usage.completion_tokens },
    responseModel: body.model,
  };
}
