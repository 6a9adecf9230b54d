/** What the worst-case estimate reads of a chat request (structurally a subset of @baton/llm's ChatRequest). */
export interface CostedRequest {
  messages: ReadonlyArray<{ content: string; toolCalls?: ReadonlyArray<{ name: string; arguments: string }> }>;
  tools?: ReadonlyArray<unknown>;
  responseSchema?: unknown;
  maxTokens?: number;
}

/** Prices of a model (USD per million tokens, i.e. micro-dollars per token) and its output ceiling. */
export interface CostedModel {
  inputPricePerMTokens: number;
  outputPricePerMTokens: number;
  maxOutputTokens: number;
}

/** Tokens a chat format adds per message (role markers, separators); generous on purpose. */
const PER_MESSAGE_TOKENS = 16;
/** Tokens of the request's framing (reply priming, tool preamble). */
const PER_REQUEST_TOKENS = 64;

const utf8 = new TextEncoder();

function bytes(text: string): number {
  return utf8.encode(text).length;
}

/**
 * An upper bound on the prompt tokens of a request. Byte-level BPE tokenizers never emit
 * more tokens than the UTF-8 bytes they encode, so counting bytes (about 4× the usual
 * token count for English) can only over-reserve, never under-reserve.
 */
export function promptTokenBound(req: CostedRequest): number {
  let total = PER_REQUEST_TOKENS;
  for (const m of req.messages) {
    total += PER_MESSAGE_TOKENS + bytes(m.content);
    for (const c of m.toolCalls ?? []) total += bytes(c.name) + bytes(c.arguments) + PER_MESSAGE_TOKENS;
  }
  if (req.tools?.length) total += bytes(JSON.stringify(req.tools));
  if (req.responseSchema !== undefined) total += bytes(JSON.stringify(req.responseSchema));
  return total;
}

/**
 * The most one call can cost, in micro-dollars (rounded up): every prompt token at the
 * upper bound, and the completion at `maxTokens` (or the model's ceiling when the request
 * sets none). Reserving this before the call means a settled actual cost never exceeds it.
 */
export function worstCaseMicros(model: CostedModel, req: CostedRequest): number {
  const completion = Math.min(req.maxTokens ?? model.maxOutputTokens, model.maxOutputTokens);
  return Math.ceil(promptTokenBound(req) * model.inputPricePerMTokens + completion * model.outputPricePerMTokens);
}
