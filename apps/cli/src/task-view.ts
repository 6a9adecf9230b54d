import { ErrorInfo, TaskStatus, SETTLED_STATUSES } from '@baton/contracts';
import { z } from 'zod';

/** The gateway's answer to `POST /v1/tasks` (202, or 200 for a repeated idempotency key). */
export const SubmitAnswer = z.looseObject({
  /** Id of the task, new or the earlier one for a repeated idempotency key. */
  taskId: z.string().min(1),
  /** Status at the time of the answer. */
  status: TaskStatus,
  /** Trace of the task, when tracing is on. */
  traceId: z.string().nullable(),
  /** True when the idempotency key matched an earlier submission. */
  duplicate: z.boolean().optional(),
});
export type SubmitAnswer = z.infer<typeof SubmitAnswer>;

/** The gateway's answer to `GET /v1/tasks/:id`. Unknown fields pass so a newer gateway still works. */
export const TaskView = z.looseObject({
  /** Task id. */
  taskId: z.string().min(1),
  /** Tenant that owns the task. */
  tenantId: z.string(),
  /** Dotted task type. */
  taskType: z.string(),
  /** Where the task is. */
  status: TaskStatus,
  /** Approved output, once completed. */
  result: z.unknown().optional(),
  /** Why the task was rejected, failed or escalated. */
  error: ErrorInfo.optional(),
  /** Spend so far, integer micro-dollars. */
  costMicros: z.number().int().nonnegative(),
  /** Attempts the step took so far. */
  attempts: z.number().int().nonnegative(),
  /** Specialist role, once routed. */
  role: z.string().optional(),
  /** Catalog id of the model, once routed. */
  model: z.string().optional(),
  /** Trace of the task, when tracing is on. */
  traceId: z.string().nullable(),
  /** ISO 8601 creation time. */
  createdAt: z.string(),
  /** ISO 8601 time of the last change. */
  updatedAt: z.string(),
  /** What an escalated task waits for. */
  escalation: z
    .looseObject({
      escalationId: z.string(),
      /** The question put to the human. */
      question: z.string(),
      allowed: z.array(z.string()),
      /** ISO 8601 time the escalation times out. */
      expiresAt: z.string(),
    })
    .optional(),
});
export type TaskView = z.infer<typeof TaskView>;

/** Whether a status is settled: final, or waiting for a human. */
export function isTerminal(status: TaskStatus): boolean {
  return SETTLED_STATUSES.includes(status);
}
