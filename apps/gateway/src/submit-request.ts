import { z } from 'zod';
import { TaskSpec, describeIssues } from '@baton/contracts';

/** Body of `POST /v1/tasks`: the task spec, nothing else (unknown fields are refused). */
export const SubmitTaskRequest = TaskSpec.strict();
export type SubmitTaskRequest = z.infer<typeof SubmitTaskRequest>;

/** A request problem, answered with 400. */
export interface RequestProblem {
  error: 'invalid_request';
  message: string;
  issues: Array<{ path: string; message: string }>;
}

/** Parses the body, or explains which field is wrong. */
export function parseSubmitRequest(body: unknown): { ok: true; value: SubmitTaskRequest } | { ok: false; problem: RequestProblem } {
  const r = SubmitTaskRequest.safeParse(body ?? {});
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
