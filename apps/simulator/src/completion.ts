import { messageText, requestedSchema, type ChatCompletionRequest } from './chat-request';
import { WORDS, hashOf, rngFrom } from './deterministic';
import { generateInstance } from './schema-instance';

/** The assistant message of a completion. */
export interface SimMessage {
  role: 'assistant';
  content: string | null;
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
}

/** Token count of a text: 4 characters a token, like the client's estimate, so budgets line up. */
export function tokensOf(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Prompt tokens: message text plus a small per-message overhead, and the schema and tools the model must read. */
export function promptTokens(req: ChatCompletionRequest): number {
  let total = 3;
  for (const m of req.messages) {
    total += 4 + tokensOf(messageText(m));
    if (m.role === 'assistant' && m.tool_calls) total += tokensOf(JSON.stringify(m.tool_calls));
  }
  if (req.tools) total += tokensOf(JSON.stringify(req.tools));
  const schema = requestedSchema(req);
  if (schema) total += tokensOf(JSON.stringify(schema));
  return total;
}

/** Completion tokens of an assistant message. */
export function completionTokens(message: SimMessage): number {
  let total = tokensOf(message.content ?? '');
  for (const call of message.tool_calls ?? []) total += 3 + tokensOf(call.function.name + call.function.arguments);
  return Math.max(1, total);
}

/** Hash of everything that shapes the default answer; equal requests give equal answers. */
export function requestHash(req: ChatCompletionRequest, seed: string): string {
  const conversation = req.messages.map((m) => `${m.role}:${messageText(m)}`).join('\n');
  return hashOf(seed, req.model, conversation, JSON.stringify(req.response_format ?? null));
}

/**
 * The answer when no rule matches: an instance of the requested schema, a small JSON
 * object for `json_object`, otherwise a sentence that quotes the start of the last user
 * message. Plain text longer than the token limit is cut with finish_reason `length`.
 */
export function defaultReply(req: ChatCompletionRequest, seed: string): { content: string; finishReason: 'stop' | 'length' } {
  const hash = requestHash(req, seed);
  const schema = requestedSchema(req);
  if (schema) return { content: JSON.stringify(generateInstance(schema, hash)), finishReason: 'stop' };

  const rng = rngFrom(hash);
  const lastUser = [...req.messages].reverse().find((m) => m.role === 'user');
  const prompt = (lastUser ? messageText(lastUser) : '').replace(/\s+/g, ' ').trim();
  const gist = prompt.length > 60 ? `${prompt.slice(0, 60).trimEnd()}...` : prompt;
  const terms = [rng.pick(WORDS), rng.pick(WORDS), rng.pick(WORDS)];
  if (req.response_format?.type === 'json_object') {
    return { content: JSON.stringify({ answer: `Simulated answer ${hash.slice(0, 8)}`, keywords: terms }), finishReason: 'stop' };
  }
  const content = `Simulated answer ${hash.slice(0, 8)} from ${req.model}: regarding "${gist}", focus on ${terms.join(', ')}.`;
  const limit = req.max_completion_tokens ?? req.max_tokens;
  if (limit != null && tokensOf(content) > limit) return { content: content.slice(0, limit * 4), finishReason: 'length' };
  return { content, finishReason: 'stop' };
}

/** A Chat Completions response body. */
export function completionBody(
  req: ChatCompletionRequest,
  message: SimMessage,
  finishReason: string,
  id: string,
): Record<string, unknown> {
  const prompt = promptTokens(req);
  const completion = completionTokens(message);
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: req.model,
    system_fingerprint: 'baton-simulator',
    choices: [{ index: 0, message: { ...message, refusal: null }, logprobs: null, finish_reason: finishReason }],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
}
