// The only place in Baton that talks to model endpoints (and imports `openai`).
export { ModelSpec, RateLimits, ModelCatalog, ModelCatalogError, MODEL_CATALOG_ENV, modelQuality } from './model-catalog';
export { priceMicros, estimateTokens } from './pricing';
export type { ChatMessage, ToolCall, ToolSpec, ChatRequest, ChatResult } from './chat-types';
export { LlmError, type LlmErrorKind } from './llm-error';
export { LlmClient, defaultEndpoint, type LlmClientOptions } from './llm-client';
