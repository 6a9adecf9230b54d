import type { ErrorInfo, TaskStatus } from '@baton/contracts';
import type { EscalationRecord, TaskRecord } from '@baton/state';
import { type TaskEscalationInfo, toTaskEscalationInfo } from './escalations-view';

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
  /** What the task waits for, while it is escalated; the full bundle is at `GET /v1/escalations/:taskId`. */
  escalation?: TaskEscalationInfo;
}

/** Statuses in which the record's error explains the task's state. */
const SHOWS_ERROR: ReadonlySet<TaskStatus> = new Set<TaskStatus>(['failed', 'rejected', 'escalated']);

/** Shapes a task record, its spend and (for an escalated task) its current escalation for the API. */
export function toTaskView(task: TaskRecord, costMicros: number, escalation?: EscalationRecord | null): TaskView {
  return {
    taskId: task.taskId,
    tenantId: task.tenantId,
    taskType: task.taskType,
    status: task.status,
    ...(task.result !== undefined ? { result: task.result } : {}),
    // An escalation's reason stays on the record after a human resumed the task; it is the task's error only while it stands.
    ...(task.error && SHOWS_ERROR.has(task.status) ? { error: task.error } : {}),
    costMicros,
    attempts: task.attempts,
    ...(task.role ? { role: task.role } : {}),
    ...(task.model ? { model: task.model } : {}),
    traceId: task.traceId,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    ...(task.status === 'escalated' && escalation ? { escalation: toTaskEscalationInfo(escalation) } : {}),
  };
}
