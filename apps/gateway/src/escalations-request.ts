import { z } from 'zod';
import { DecisionAction, TaskDecision } from '@baton/contracts';
import { parseBody, type RequestProblem } from './submit-request';

const decision = TaskDecision.data.shape;

/**
 * Body of `POST /v1/escalations/:taskId/decision`. Unknown fields are refused, and so is a
 * field the action does not use: an `output` sent with `approve` was most likely meant as
 * an `edit`, and dropping it silently would approve something else.
 */
export const DecisionRequest = z
  .object({
    /** Escalation decided; when given it must be the task's current one. */
    escalationId: z.string().min(1).max(256).optional(),
    action: DecisionAction,
    /** Replacement output, for `edit` (any JSON value, null included). */
    output: z.unknown().optional(),
    /** The human's answer, for `answer`. */
    answer: decision.answer,
    /** Free-text note kept with the decision (a reviewer's name, say). */
    comment: decision.comment,
  })
  .strict()
  .superRefine((v, ctx) => {
    // `'output' in v` would also count an explicit undefined, which JSON cannot send anyway.
    const hasOutput = v.output !== undefined;
    if (v.action === 'edit' && !hasOutput) ctx.addIssue({ code: 'custom', path: ['output'], message: 'required when action is edit' });
    if (v.action !== 'edit' && hasOutput) ctx.addIssue({ code: 'custom', path: ['output'], message: 'allowed only when action is edit' });
    if (v.action === 'answer' && v.answer === undefined) ctx.addIssue({ code: 'custom', path: ['answer'], message: 'required when action is answer' });
    if (v.action !== 'answer' && v.answer !== undefined) ctx.addIssue({ code: 'custom', path: ['answer'], message: 'allowed only when action is answer' });
  });
export type DecisionRequest = z.infer<typeof DecisionRequest>;

/** A parse outcome: the value, or the 400 answer. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: RequestProblem };

/** A 400 answer about one field. */
export function fieldProblem(path: string, message: string): RequestProblem {
  return { error: 'invalid_request', message: `${path}: ${message}`, issues: [{ path, message }] };
}

/**
 * Why a body naming its decider is refused. The decider is the API key that sends the
 * decision; a name in the body would let any key record a decision as someone else's.
 * Refused rather than ignored, so a client that thinks it sets the decider learns it does not.
 */
export const DECIDED_BY_REFUSED = 'is no longer accepted: a decision is recorded as made by the API key that sends it (key:<id>); put a name in comment';

/** Parses the decision body, or explains which field is wrong. */
export function parseDecisionRequest(body: unknown): Parsed<DecisionRequest> {
  if (typeof body === 'object' && body !== null && Object.hasOwn(body, 'decidedBy')) {
    return { ok: false, problem: fieldProblem('decidedBy', DECIDED_BY_REFUSED) };
  }
  return parseBody(DecisionRequest, body);
}

/** Default and largest page of `GET /v1/escalations`. */
export const LIST_LIMIT = { default: 50, max: 200 } as const;

/** Parses `?limit=` of `GET /v1/escalations`: absent means the default. */
export function parseListLimit(raw: unknown): Parsed<number> {
  if (raw === undefined || raw === '') return { ok: true, value: LIST_LIMIT.default };
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > LIST_LIMIT.max) {
    return { ok: false, problem: fieldProblem('limit', `must be an integer from 1 to ${LIST_LIMIT.max}`) };
  }
  return { ok: true, value: n };
}
