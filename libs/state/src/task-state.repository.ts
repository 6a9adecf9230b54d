import { TERMINAL_STATUSES, TaskStatus } from '@baton/contracts';
import type { StateDeps } from './state-deps';
import {
  type TaskRecord,
  type TransitionFields,
  decodeTaskRecord,
  encodeHistoryEntry,
  encodeTransitionFields,
} from './task-record';

/** What a new task record starts with. */
export interface NewTask {
  /** Task id. */
  taskId: string;
  /** Owning tenant. */
  tenantId: string;
  /** Dotted task type. */
  taskType: string;
  /** Trace the task runs in, if any. */
  traceId: string | null;
  /** Span of that trace the task started from; later work (timers, human decisions) hangs under it. */
  rootSpanId?: string | null;
}

/** Options of a transition. */
export interface TransitionOptions {
  /** Apply only when the current status is one of these. */
  from?: TaskStatus[];
  /** Fields stored together with the new status. */
  fields?: TransitionFields;
}

/** Outcome of a transition. */
export interface TransitionResult {
  /** True when this call changed the status. */
  applied: boolean;
  /** Status after the call; null when the task does not exist. */
  status: TaskStatus | null;
}

/** The task state machine in Redis: every change is one atomic script. */
export class TaskStateRepository {
  constructor(private readonly deps: StateDeps) {}

  /** Creates the record in status `submitted`; false (and no change) when it already exists. */
  async create(rec: NewTask): Promise<boolean> {
    const { redis, keys } = this.deps;
    const at = this.deps.now().toISOString();
    const created = await redis.batonCreateTask(
      keys.task(rec.taskId),
      keys.taskOp(rec.taskId, this.deps.newOpId()),
      this.deps.opTtlSeconds,
      rec.taskId,
      rec.tenantId,
      rec.taskType,
      rec.traceId ?? '',
      at,
      encodeHistoryEntry('submitted', at),
      rec.rootSpanId ?? '',
    );
    return created === 1;
  }

  /**
   * Moves the task to `to` atomically. Not applied when the task is missing, already in a
   * terminal status, already in `to`, or (with `opts.from`) not in one of those statuses.
   * When applied, appends to the history, sets updatedAt and stores `opts.fields`.
   */
  async transition(taskId: string, to: TaskStatus, opts: TransitionOptions = {}): Promise<TransitionResult> {
    const { redis, keys } = this.deps;
    const target = TaskStatus.parse(to);
    const from = opts.from?.map((s) => TaskStatus.parse(s));
    const at = this.deps.now().toISOString();
    const [applied, status] = await redis.batonTransition(
      keys.task(taskId),
      keys.taskOp(taskId, this.deps.newOpId()),
      this.deps.opTtlSeconds,
      target,
      at,
      encodeHistoryEntry(target, at),
      TERMINAL_STATUSES.length,
      ...TERMINAL_STATUSES,
      from ? from.length : -1,
      ...(from ?? []),
      ...encodeTransitionFields(opts.fields),
    );
    return { applied: applied === 1, status: status === '' ? null : TaskStatus.parse(status) };
  }

  /** The task's record, or null when there is none. */
  async get(taskId: string): Promise<TaskRecord | null> {
    const key = this.deps.keys.task(taskId);
    return decodeTaskRecord(key, await this.deps.redis.hgetall(key));
  }
}
