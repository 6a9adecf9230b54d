import type { ErrorInfo, TaskStatus } from '@baton/contracts';
import type { TaskRecord } from '@baton/state';

/** What `GET /v1/tasks/:id` answers. */
export interface TaskView {
  taskId: string;
  tenantId: string;
  taskType: string;
  status: TaskStatus;
  result?: unknown;
  error?: ErrorInfo;
  /** Spend so far, integer micro-dollars. */
  costMicros: number;
  attempts: number;
  role?: string;
  model?: string;
  traceId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Shapes a task record and its spend for the API. */
export function toTaskView(task: TaskRecord, costMicros: number): TaskView {
  return {
    taskId: task.taskId,
    tenantId: task.tenantId,
    taskType: task.taskType,
    status: task.status,
    ...(task.result !== undefined ? { result: task.result } : {}),
    ...(task.error ? { error: task.error } : {}),
    costMicros,
    attempts: task.attempts,
    ...(task.role ? { role: task.role } : {}),
    ...(task.model ? { model: task.model } : {}),
    traceId: task.traceId,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
}
