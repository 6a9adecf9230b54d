import type { ErrorInfo } from '@baton/contracts';
import { LlmError, ModelCatalogError } from '@baton/llm';
import { classifyError } from '@baton/messaging';
import { BudgetRefusedError, RateLimitedError, budgetExhaustedError } from './spend-gate';

/** The circuit breakers as the fallback loop uses them (StateStore.breakers in the service). */
export interface BreakerPort {
  /** Whether the model may be called now (closed, or this caller holds the half-open probe). */
  tryProbe(model: string): Promise<boolean>;
  recordFailure(model: string): Promise<{ changed: boolean }>;
  recordSuccess(model: string): Promise<{ changed: boolean }>;
}

/** What happened to one candidate model. */
export interface ModelAttempt {
  model: string;
  /** `skipped`: not called (open breaker, unknown model); `failed`: called and failed; `succeeded`: answered. */
  outcome: 'skipped' | 'failed' | 'succeeded';
  /** Why it was skipped or failed: `breaker_open`, `unknown_model`, or the error code (`llm_server_error` ...). */
  reason?: string;
}

/** Hooks for telemetry and logs; every one optional. */
export interface FallbackObserver {
  /** Giving up on `from` for `reason`; `to` is the next candidate, undefined when none is left. */
  fallback?(from: string, to: string | undefined, reason: string): void;
  /** A call's outcome opened (`open`) or closed (`closed`) the model's breaker. */
  breaker?(model: string, state: 'open' | 'closed'): void;
}

/** The answer and the model that gave it, or why no model could. */
export type FallbackResult<T> =
  | { ok: true; model: string; value: T; tried: ModelAttempt[] }
  | { ok: false; error: ErrorInfo; tried: ModelAttempt[] };

/** How a model error is reported to the planner. */
export function describeModelError(err: unknown): ErrorInfo {
  if (err instanceof LlmError) {
    return { kind: err.kind === 'bad_response' ? 'model' : 'system', code: `llm_${err.kind}`, message: err.message };
  }
  return { kind: 'system', code: 'agent_error', message: err instanceof Error ? err.message : String(err) };
}

/**
 * A failure another model may not share: the provider is overloaded, erroring or slow
 * (`rate_limited`, `server_error`, `timeout`) even after the client's own retries. Other
 * failures are about the request or the answer (bad request, auth, a malformed answer),
 * which the planner's retry with feedback handles; a non-retryable `server_error` is a
 * defect on our side that any model would hit.
 */
export function isProviderFailure(err: unknown): err is LlmError {
  return err instanceof LlmError && err.retryable;
}

/** The models to try, in order, each once: the chosen one, then the fallbacks. */
export function candidateModels(model: string, fallbackModels: readonly string[] = []): string[] {
  return [...new Set([model, ...fallbackModels])];
}

function exhausted(tried: ModelAttempt[], lastError: unknown, refusals: BudgetRefusedError[]): ErrorInfo {
  const summary = tried.map((t) => `${t.model}: ${t.outcome === 'skipped' ? `skipped (${t.reason})` : t.reason}`).join('; ');
  const details = { tried };
  // No model failed and a budget refused at least one: spending is what stopped the attempt.
  if (lastError === undefined && refusals.length) {
    const error = budgetExhaustedError(refusals);
    return { ...error, details: { ...(error.details as Record<string, unknown> | undefined), tried } };
  }
  if (lastError === undefined) {
    return { kind: 'system', code: 'no_model_available', message: `no model could be called: ${summary}`, details };
  }
  // The code of the last real failure, so the planner's view of a one-model step is unchanged.
  return { ...describeModelError(lastError), message: `every model failed: ${summary}`, details };
}

/**
 * Calls `call` on each candidate in turn until one answers. A candidate whose breaker is
 * open (and whose probe another caller holds) is skipped; a provider failure is recorded
 * on its breaker and the next candidate is tried; an answer records a success. Any other
 * failure ends the loop at once. A model the catalog does not know (the router's catalog
 * is newer or older than this agent's) is skipped like an open breaker.
 */
export async function callWithFallbacks<T>(
  candidates: readonly string[],
  call: (model: string) => Promise<T>,
  breakers: BreakerPort,
  observer: FallbackObserver = {},
): Promise<FallbackResult<T>> {
  const tried: ModelAttempt[] = [];
  const refusals: BudgetRefusedError[] = [];
  let lastError: unknown;
  for (const [i, model] of candidates.entries()) {
    const next = candidates[i + 1];
    if (!(await breakers.tryProbe(model))) {
      tried.push({ model, outcome: 'skipped', reason: 'breaker_open' });
      observer.fallback?.(model, next, 'breaker_open');
      continue;
    }
    let value: T;
    try {
      value = await call(model);
    } catch (err) {
      if (err instanceof ModelCatalogError) {
        tried.push({ model, outcome: 'skipped', reason: 'unknown_model' });
        observer.fallback?.(model, next, 'unknown_model');
        continue;
      }
      // Not called: a cheaper fallback may fit the budget, another model may have capacity left.
      if (err instanceof BudgetRefusedError || err instanceof RateLimitedError) {
        const reason = err instanceof BudgetRefusedError ? 'budget_exhausted' : 'rate_limited';
        if (err instanceof BudgetRefusedError) refusals.push(err);
        tried.push({ model, outcome: 'skipped', reason });
        observer.fallback?.(model, next, reason);
        continue;
      }
      // Redis or Kafka down (the reservation, the rate limiter): not the model's failure nor
      // the step's. Thrown, so the bus waits it out and the step runs, instead of a step.failed
      // that would mark the step done although it never ran.
      if (!(err instanceof LlmError) && classifyError(err) === 'transient') throw err;
      const error = describeModelError(err);
      tried.push({ model, outcome: 'failed', reason: error.code });
      if (!isProviderFailure(err)) return { ok: false, error: { ...error, details: { tried } }, tried };
      lastError = err;
      if ((await breakers.recordFailure(model)).changed) observer.breaker?.(model, 'open');
      observer.fallback?.(model, next, error.code);
      continue;
    }
    if ((await breakers.recordSuccess(model)).changed) observer.breaker?.(model, 'closed');
    tried.push({ model, outcome: 'succeeded' });
    return { ok: true, model, value, tried };
  }
  return { ok: false, error: exhausted(tried, lastError, refusals), tried };
}
