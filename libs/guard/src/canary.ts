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

/** Whether a value (text or any JSON-like value) carries the canary, also with its letters spaced or case changed. */
export function carriesCanary(value: unknown, canary: string): boolean {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  const squeezed = text.replace(/[\s\u200B-\u200D\u2060\uFEFF._\-/\\|]+/g, '').toLowerCase();
  return squeezed.includes(canary.replace(/-/g, '').toLowerCase());
}
