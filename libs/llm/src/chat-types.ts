/** A tool invocation the model asked for. */
export interface ToolCall {
  /** Provider's id for the call; echoed back as `toolCallId` on the tool's answer. */
  id: string;
  /** Name of the tool to run. */
  name: string;
  /** JSON-encoded arguments, exactly as the model produced them (may be invalid JSON). */
  arguments: string;
}

/** One message of a conversation. */
export interface ChatMessage {
  /** Who speaks. */
  role: 'system' | 'user' | 'assistant' | 'tool';
  /** Text of the message; empty for an assistant turn that only calls tools. */
  content: string;
  /** For `tool` messages: the call this message answers. */
  toolCallId?: string;
  /** For `assistant` messages: the tool calls the model made in that turn. */
  toolCalls?: ToolCall[];
}

/** A function the model may call. */
export interface ToolSpec {
  /** Function name, `[a-zA-Z0-9_-]{1,64}`. */
  name: string;
  /** What the function does; the model reads it. */
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

/** One chat call. */
export interface ChatRequest {
  /** Catalog id of the model. */
  model: string;
  /** The conversation so far. */
  messages: ChatMessage[];
  /** Ask for JSON that satisfies this schema (structured output, strict mode). */
  responseSchema?: { name: string; schema: Record<string, unknown> };
  /** Functions the model may call. */
  tools?: ToolSpec[];
  /** Sampling temperature. */
  temperature?: number;
  /** Upper bound on completion tokens; must not exceed the model's `maxOutputTokens`. */
  maxTokens?: number;
  /** Cancels the call, retries included. */
  signal?: AbortSignal;
}

/** What a chat call returned. */
export interface ChatResult {
  /** Text of the answer; empty when the model only called tools. */
  content: string;
  /** Tool calls the model made; empty when none. */
  toolCalls: ToolCall[];
  /** Provider's finish reason: `stop`, `length`, `tool_calls`, `content_filter`. */
  finishReason: string;
  /** Tokens as reported by the provider. */
  usage: { promptTokens: number; completionTokens: number };
  /** Wall time of the whole call in milliseconds, retries and backoff included. */
  latencyMs: number;
  /** Catalog id of the model called. */
  model: string;
  /** Provider from the catalog. */
  provider: string;
  /** Model name the provider says answered (may carry a version suffix). */
  responseModel: string;
}
