import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { Attr, Metric, MetricAttr, SpanEvent, metricHistogram } from '@baton/telemetry';
import OpenAI from 'openai';
import type { ChatMessage, ChatRequest, ChatResult } from './chat-types';
import { LlmError, classifyError } from './llm-error';
import type { ModelCatalog, ModelSpec } from './model-catalog';
import { parseCompletion, toCompletionParams } from './openai-mapping';
import { priceMicros } from './pricing';

/** Where the simulator listens locally; kept here so the lib does not depend on service config. */
const SIMULATOR_BASE_URL = 'http://127.0.0.1:8090/v1';
/** OpenAI's own endpoint: the default when a key is configured but no base URL. */
const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** The simulator ignores the key, but the SDK refuses to start without one. */
const SIMULATOR_API_KEY = 'baton-simulator-key';
/** Backoff ceiling: a provider asking for longer is better handled by failing the step. */
const MAX_BACKOFF_MS = 20_000;

const operationDuration = metricHistogram(Metric.operationDuration);

/** Records a finished call's duration, retries included; models by catalog id, as in every Baton metric. */
function recordDuration(spec: ModelSpec, startedAt: number, errorType?: string): void {
  operationDuration.record((performance.now() - startedAt) / 1000, {
    [Attr.genAiOperation]: 'chat',
    [Attr.genAiSystem]: spec.provider,
    [Attr.genAiRequestModel]: spec.id,
    ...(errorType ? { [MetricAttr.errorType]: errorType } : {}),
  });
}

/** Defaults for models whose catalog entry names no endpoint or key. */
export interface LlmClientOptions {
  /** Endpoint for models without `baseUrl`; default from the environment (see `defaultEndpoint`). */
  defaultBaseUrl?: string;
  /** Key when a model's `apiKeyEnv` is unset; default `$OPENAI_API_KEY`, else a placeholder the simulator accepts. */
  defaultApiKey?: string;
  /** Per-attempt timeout in milliseconds; default 30000. */
  timeoutMs?: number;
  /** Retries after the first attempt for retryable failures; default 2. */
  maxRetries?: number;
  /** First backoff delay in milliseconds, doubled per retry with jitter; default 250. */
  retryBaseDelayMs?: number;
  /**
   * Off by default: spans carry no prompt or completion text. When set, the span also
   * carries the conversation (`gen_ai.input.messages`) and the answer
   * (`gen_ai.output.messages`) as JSON, every text passed through this redactor first.
   */
  traceContent?: (text: string) => string;
}

/** The conversation as `gen_ai.input.messages` shows it: role and parts, texts redacted. */
export function contentForSpan(messages: readonly ChatMessage[], redact: (text: string) => string): string {
  return JSON.stringify(
    messages.map((m) => ({
      role: m.role,
      parts: [
        ...(m.content ? [{ type: 'text', content: redact(m.content) }] : []),
        ...(m.toolCalls ?? []).map((c) => ({ type: 'tool_call', id: c.id, name: c.name, arguments: redact(c.arguments) })),
        ...(m.toolCallId ? [{ type: 'tool_call_response', id: m.toolCallId }] : []),
      ],
    })),
  );
}

/**
 * The endpoint for models whose catalog entry names none: `OPENAI_BASE_URL` when set;
 * OpenAI itself when only `OPENAI_API_KEY` is set; otherwise the local model simulator,
 * so nothing leaves the machine unless a real provider is configured.
 */
export function defaultEndpoint(env: NodeJS.ProcessEnv): string {
  if (env.OPENAI_BASE_URL) return env.OPENAI_BASE_URL;
  return env.OPENAI_API_KEY ? OPENAI_BASE_URL : SIMULATOR_BASE_URL;
}

/**
 * Calls chat models from the catalog over the OpenAI-compatible API. Retries
 * `rate_limited`, `server_error` and `timeout` with exponential backoff (honouring
 * `retry-after`), wraps each call in one `chat <providerModel>` client span, and never
 * puts prompt or completion text on the span.
 */
export class LlmClient {
  private readonly clients = new Map<string, OpenAI>();
  private readonly defaultBaseUrl: string;
  private readonly defaultApiKey: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly traceContent: ((text: string) => string) | undefined;

  constructor(
    private readonly catalog: ModelCatalog,
    opts: LlmClientOptions = {},
  ) {
    this.defaultBaseUrl = opts.defaultBaseUrl ?? defaultEndpoint(process.env);
    this.defaultApiKey = opts.defaultApiKey ?? (process.env.OPENAI_API_KEY || SIMULATOR_API_KEY);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxRetries = opts.maxRetries ?? 2;
    this.retryBaseDelayMs = opts.retryBaseDelayMs ?? 250;
    this.traceContent = opts.traceContent;
  }

  /** Whether the catalog says `model` has `capability` (false for a model it does not know). */
  supports(model: string, capability: string): boolean {
    return this.catalog.has(model) && this.catalog.get(model).capabilities.includes(capability);
  }

  /** Runs one chat call; rejects with an LlmError (or a catalog error for an unknown model). */
  async chat(req: ChatRequest): Promise<ChatResult> {
    const spec = this.catalog.get(req.model);
    const tracer = trace.getTracer('@baton/llm');
    return tracer.startActiveSpan(
      `chat ${spec.providerModel}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [Attr.genAiOperation]: 'chat',
          [Attr.genAiSystem]: spec.provider,
          [Attr.genAiRequestModel]: spec.providerModel,
          ...(req.maxTokens === undefined ? {} : { [Attr.genAiRequestMaxTokens]: req.maxTokens }),
          ...(this.traceContent ? { [Attr.genAiInputMessages]: contentForSpan(req.messages, this.traceContent) } : {}),
        },
      },
      async (span) => {
        const startedAt = performance.now();
        let errorType: string | undefined;
        try {
          const result = await this.callWithRetries(req, spec, span);
          span.setAttributes({
            [Attr.genAiResponseModel]: result.responseModel,
            [Attr.genAiInputTokens]: result.usage.promptTokens,
            [Attr.genAiOutputTokens]: result.usage.completionTokens,
            [Attr.genAiFinishReasons]: [result.finishReason],
            [Attr.costMicros]: priceMicros(spec, result.usage.promptTokens, result.usage.completionTokens),
          });
          if (this.traceContent) {
            const answer: ChatMessage = { role: 'assistant', content: result.content, toolCalls: result.toolCalls };
            span.setAttribute(Attr.genAiOutputMessages, contentForSpan([answer], this.traceContent));
          }
          return result;
        } catch (err) {
          const llmErr = classifyError(err);
          errorType = llmErr.kind;
          // Kind and status only: provider messages can quote the prompt.
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: llmErr.status ? `${llmErr.kind} (${llmErr.status})` : llmErr.kind,
          });
          throw llmErr;
        } finally {
          recordDuration(spec, startedAt, errorType);
          span.end();
        }
      },
    );
  }

  private async callWithRetries(req: ChatRequest, spec: ModelSpec, span: Span): Promise<ChatResult> {
    const params = toCompletionParams(req, spec);
    const client = this.clientFor(spec);
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      // Our own per-attempt deadline rather than the SDK's: telling "our deadline passed"
      // (retryable) from "the caller gave up" (not retryable) then needs no guessing from error text.
      const deadline = AbortSignal.timeout(this.timeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
      try {
        const raw: unknown = await client.chat.completions.create(params, { signal });
        const parsed = parseCompletion(raw);
        return {
          ...parsed,
          latencyMs: Math.round(performance.now() - started),
          model: spec.id,
          provider: spec.provider,
        };
      } catch (err) {
        const timedOut = deadline.aborted && !req.signal?.aborted;
        const llmErr = timedOut
          ? new LlmError('timeout', `model call timed out after ${this.timeoutMs} ms`, { cause: err })
          : this.explain(classifyError(err), spec);
        if (!llmErr.retryable || attempt >= this.maxRetries || req.signal?.aborted) throw llmErr;
        const delay = this.backoff(attempt, llmErr);
        span.addEvent(SpanEvent.llmRetry, { [Attr.llmRetryReason]: llmErr.kind });
        await sleep(delay, req.signal);
      }
    }
  }

  /** One SDK client per endpoint and key; the SDK's own retries are off so every failure gets classified here. */
  private clientFor(spec: ModelSpec): OpenAI {
    const baseURL = spec.baseUrl ?? this.defaultBaseUrl;
    const apiKey = (spec.apiKeyEnv && process.env[spec.apiKeyEnv]) || this.defaultApiKey;
    const key = `${baseURL}\u0000${apiKey}`;
    let client = this.clients.get(key);
    if (!client) {
      // The SDK's timeout is only a backstop behind our per-attempt deadline.
      client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: this.timeoutMs + 5_000 });
      this.clients.set(key, client);
    }
    return client;
  }

  /** Adds the likely fix to an auth failure caused by a missing key variable. */
  private explain(err: LlmError, spec: ModelSpec): LlmError {
    if (err.kind !== 'auth' || !spec.apiKeyEnv || process.env[spec.apiKeyEnv]) return err;
    return new LlmError('auth', `${err.message} (model "${spec.id}" reads its key from ${spec.apiKeyEnv}, which is not set)`, {
      status: err.status,
      cause: err,
    });
  }

  private backoff(attempt: number, err: LlmError): number {
    if (err.retryAfterMs !== undefined) return Math.min(err.retryAfterMs, MAX_BACKOFF_MS);
    const ceiling = Math.min(this.retryBaseDelayMs * 2 ** attempt, MAX_BACKOFF_MS);
    // Jitter in [ceiling/2, ceiling]: spreads out workers that failed together.
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new LlmError('timeout', 'model call aborted by the caller', { retryable: false }));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new LlmError('timeout', 'model call aborted by the caller', { retryable: false }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
