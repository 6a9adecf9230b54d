import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

/** What went wrong with a model call, from the caller's point of view. */
export type LlmErrorKind = 'rate_limited' | 'server_error' | 'timeout' | 'bad_response' | 'auth' | 'bad_request';

const RETRYABLE: ReadonlySet<LlmErrorKind> = new Set(['rate_limited', 'server_error', 'timeout']);

/** A failed model call, classified so callers can decide between retrying, failing and escalating. */
export class LlmError extends Error {
  /** Class of failure. */
  readonly kind: LlmErrorKind;
  /** Whether trying again later can help. */
  readonly retryable: boolean;
  /** HTTP status, when the endpoint answered. */
  readonly status?: number;
  /** Delay the endpoint asked for before the next try (`retry-after`), in milliseconds. */
  readonly retryAfterMs?: number;

  constructor(
    kind: LlmErrorKind,
    message: string,
    opts: { status?: number; retryable?: boolean; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'LlmError';
    this.kind = kind;
    this.retryable = opts.retryable ?? RETRYABLE.has(kind);
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/**
 * Maps whatever the OpenAI SDK (or our own response checks) threw to an LlmError.
 * A refused connection counts as `server_error`: the endpoint is down, which, like a
 * 5xx, may pass. An abort by the caller is a non-retryable `timeout`.
 */
export function classifyError(err: unknown): LlmError {
  if (err instanceof LlmError) return err;
  // Order matters: the abort and connection errors are APIError subclasses without a status.
  if (err instanceof APIUserAbortError) {
    return new LlmError('timeout', 'model call aborted by the caller', { retryable: false, cause: err });
  }
  if (err instanceof APIConnectionTimeoutError) {
    return new LlmError('timeout', 'model call timed out', { cause: err });
  }
  if (err instanceof APIConnectionError) {
    return new LlmError('server_error', `model endpoint not reachable: ${describeCause(err)}`, { cause: err });
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const status = err.status;
    const message = `model endpoint answered ${status}: ${err.message}`;
    if (status === 429) {
      return new LlmError('rate_limited', message, { status, retryAfterMs: retryAfterMs(err.headers), cause: err });
    }
    if (status >= 500) return new LlmError('server_error', message, { status, cause: err });
    if (status === 401 || status === 403) return new LlmError('auth', message, { status, cause: err });
    if (status === 408) return new LlmError('timeout', message, { status, cause: err });
    return new LlmError('bad_request', message, { status, cause: err });
  }
  if (errorName(err) === 'SyntaxError') {
    // The SDK parses a JSON content type itself; a broken body surfaces as a SyntaxError.
    return new LlmError('bad_response', `model endpoint sent a body that is not JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (errorName(err) === 'AbortError') {
    return new LlmError('timeout', 'model call aborted', { retryable: false, cause: err });
  }
  // Anything else is a defect on our side or in the SDK; retrying would only repeat it.
  const message = typeof (err as Error | undefined)?.message === 'string' ? (err as Error).message : String(err);
  return new LlmError('server_error', `model call failed unexpectedly: ${message}`, { retryable: false, cause: err });
}

/** Checked by name, not `instanceof`: errors thrown by fetch may come from another realm (as under Jest). */
function errorName(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && typeof (err as Error).name === 'string' ? (err as Error).name : undefined;
}

function describeCause(err: Error): string {
  const cause = err.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${cause.message} (${code})` : cause.message;
  }
  return err.message;
}

/** Reads `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
