import { z } from 'zod';
import { TaskInput, TaskNeeds, TaskSpec, describeIssues } from '@baton/contracts';
import { checkShape } from '@baton/guard';

/**
 * Body of `POST /v1/tasks`: the task spec, nothing else. Unknown fields are refused at
 * every level: a misspelt `needs` field would otherwise drop a requirement silently.
 */
export const SubmitTaskRequest = TaskSpec.extend({
  input: TaskInput.strict(),
  needs: TaskNeeds.strict().optional(),
}).strict();
export type SubmitTaskRequest = z.infer<typeof SubmitTaskRequest>;

/** A request problem, answered with 400. */
export interface RequestProblem {
  error: 'invalid_request';
  message: string;
  issues: Array<{ path: string; message: string }>;
}

/** Parses a request body with `schema`, or explains which field is wrong (a 400 answer). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): { ok: true; value: z.infer<S> } | { ok: false; problem: RequestProblem } {
  const r = schema.safeParse(body ?? {});
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    problem: {
      error: 'invalid_request',
      message: describeIssues(r.error.issues),
      issues: r.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
    },
  };
}

/**
 * Parses the body, or explains which field is wrong. The shape comes first: a body nested
 * too deep (or spread too wide) would overflow the stack of whatever walks it later
 * (serializing the event, the input guard), so it is refused before anything reads it.
 */
export function parseSubmitRequest(body: unknown): { ok: true; value: SubmitTaskRequest } | { ok: false; problem: RequestProblem } {
  const shape = checkShape(body);
  if (!shape.ok) return { ok: false, problem: { error: 'invalid_request', message: `body: ${shape.message}`, issues: [{ path: '(body)', message: `body: ${shape.message}` }] } };
  return parseBody(SubmitTaskRequest, body);
}
