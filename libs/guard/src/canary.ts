import { createHmac } from 'node:crypto';

/** The canary secret of local runs; a deployment sets its own (BATON_CANARY_SECRET) in every agent and guardrail checker. */
export const LOCAL_CANARY_SECRET = 'baton-local-canary-secret';

/**
 * The canary of one task: a marker planted in every system prompt of the task's model
 * calls, which no output and no tool call may ever carry. A model that repeats it has been
 * made to reveal its instructions. Derived from a secret shared by the agents (which plant
 * it) and the guardrail checker (which looks for it), so no service has to store it and a
 * submitter cannot guess it.
 */
export function taskCanary(secret: string, taskId: string): string {
  return `BTN-${createHmac('sha256', secret).update(`canary:${taskId}`).digest('hex').slice(0, 20)}`;
}

// Invisible characters, spaces and the usual separators: a canary spelled out letter by letter is still the canary.
const BETWEEN = '[\\u200b-\\u200f\\u2060-\\u2064\\ufeff\\u00ad\\s._/|-]*';

/** Finds a canary in text, in any case, also with invisible characters, spaces or separators between its letters (global: a fresh one per use). */
export function canaryPattern(canary: string): RegExp {
  const chars = [...canary].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(chars.join(BETWEEN), 'giu');
}

/** Whether a value (text or any JSON-like value) carries the canary, the way the output rules find one. */
export function carriesCanary(value: unknown, canary: string): boolean {
  return canaryPattern(canary).test(typeof value === 'string' ? value : JSON.stringify(value ?? ''));
}
