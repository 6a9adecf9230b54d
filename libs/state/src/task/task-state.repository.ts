import { DEFAULT_DEADLINE_SECONDS, TERMINAL_STATUSES, TaskStatus, TaskSubmitted, parseEvent } from '@baton/contracts';
import { CorruptRecordError } from '../records/state-record';
import type { StateDeps } from '../state-deps';
import { type TaskRecord, type TransitionFields, decodeTaskRecord, encodeHistoryEntry, encodeTransitionFields } from './task-record';
import { createTaskScript, settleSubmissionScript, submitTaskScript, transitionScript } from './task.scripts';

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
  /**
   * When the task must have ended, ms since epoch: put in the deadline index before the
   * record is written, so a task stuck before it ever reaches the planner is still ended by
   * its sweep. Submissions default to their limits' deadline from now.
   */
  deadlineAt?: number;
  /** Id of the `task.submitted` creating the task, so another event reusing the task id can be told apart. */
  submittedEventId?: string;
}

/** A gateway submission: the task, the event that queues it, and the client's idempotency key. */
export interface NewSubmission extends NewTask {
  /** The `task.submitted` event to publish; kept in the outbox until it is. Its id becomes the record's `submittedEventId`. */
  event: TaskSubmitted;
  /** The client's idempotency key and how long it holds the task, when one was sent. */
  idempotency?: { key: string; ttlSeconds: number };
}

/** Outcome of a submission. */
export interface SubmitResult {
  /** True when this call created the task; false when the idempotency key (or the task id) was taken. */
  created: boolean;
  /** The task: the new one, or the one the key already belongs to. */
  taskId: string;
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
    if (rec.deadlineAt !== undefined) await this.scheduleDeadline(rec.taskId, rec.deadlineAt);
    const at = this.deps.now().toISOString();
    return createTaskScript.run(redis, {
      taskKey: keys.task(rec.taskId),
      opKey: keys.taskOp(rec.taskId, this.deps.newOpId()),
      opTtlSeconds: this.deps.opTtlSeconds,
      taskId: rec.taskId,
      tenantId: rec.tenantId,
      taskType: rec.taskType,
      traceId: rec.traceId,
      rootSpanId: rec.rootSpanId ?? null,
      submittedEventId: rec.submittedEventId ?? null,
      at,
      historyEntry: encodeHistoryEntry('submitted', at),
    });
  }

  /**
   * Claims the idempotency key (if any), creates the record in status `submitted` with
   * `published: false` and keeps the event in the outbox, in one script: a key never points
   * at a task that does not exist. A key whose holder has no record (left by the claims of
   * older gateways, which claimed before they created) is taken over.
   */
  async submit(rec: NewSubmission): Promise<SubmitResult> {
    const { redis, keys } = this.deps;
    const event = TaskSubmitted.schema.parse(rec.event);
    if (event.taskId !== rec.taskId) throw new RangeError(`the event is for task ${event.taskId}, not ${rec.taskId}`);
    const ttl = rec.idempotency?.ttlSeconds ?? 0;
    if (rec.idempotency && (!Number.isSafeInteger(ttl) || ttl <= 0)) throw new RangeError(`idempotency TTL must be a positive number of seconds, got ${ttl}`);
    const now = this.deps.now();
    const at = now.toISOString();
    await this.scheduleDeadline(rec.taskId, rec.deadlineAt ?? now.getTime() + 1000 * (event.data.limits?.deadlineSeconds ?? DEFAULT_DEADLINE_SECONDS));
    let stale: string | null = null;
    for (;;) {
      const { created, holder } = await submitTaskScript.run(redis, {
        taskKey: keys.task(rec.taskId),
        opKey: keys.taskOp(rec.taskId, this.deps.newOpId()),
        idempotency: rec.idempotency ? { key: keys.idempotency(rec.tenantId, rec.idempotency.key), ttlSeconds: ttl } : null,
        submissionKey: keys.taskSubmission(rec.taskId),
        unpublishedKey: keys.unpublishedSubmissions(),
        opTtlSeconds: this.deps.opTtlSeconds,
        taskId: rec.taskId,
        tenantId: rec.tenantId,
        taskType: rec.taskType,
        traceId: rec.traceId,
        rootSpanId: rec.rootSpanId ?? null,
        at,
        historyEntry: encodeHistoryEntry('submitted', at),
        submittedEventId: event.eventId,
        submission: JSON.stringify(event),
        nowMs: now.getTime(),
        staleHolder: stale,
      });
      if (created) return { created: true, taskId: rec.taskId };
      // A holder with no record can only come from a claim made before this script existed; once.
      if (stale === null && holder !== rec.taskId && (await redis.exists(keys.task(holder))) === 0) {
        stale = holder;
        continue;
      }
      return { created: false, taskId: holder };
    }
  }

  // First, then the record: a crash in between leaves an index entry with no task, which the sweep drops.
  private async scheduleDeadline(taskId: string, at: number): Promise<void> {
    await this.deps.redis.zadd(this.deps.keys.deadlines(), at, taskId);
  }

  /** The stored `task.submitted` of a submission still in the outbox, or null once it was settled. */
  async submission(taskId: string): Promise<TaskSubmitted | null> {
    const text = await this.deps.redis.get(this.deps.keys.taskSubmission(taskId));
    if (text === null) return null;
    const event = parseEvent(JSON.parse(text));
    if (event.type !== 'task.submitted') throw new CorruptRecordError(this.deps.keys.taskSubmission(taskId), `holds a ${event.type}`);
    return event;
  }

  /** Takes the submission out of the outbox: published (the record's `published` becomes true), or given up. */
  async settleSubmission(taskId: string, published: boolean): Promise<void> {
    const { redis, keys } = this.deps;
    await settleSubmissionScript.run(redis, {
      taskKey: keys.task(taskId),
      submissionKey: keys.taskSubmission(taskId),
      unpublishedKey: keys.unpublishedSubmissions(),
      taskId,
      published,
    });
  }

  /** Up to `limit` tasks still in the outbox that were created at or before `cutoffMs`, oldest first. */
  async unpublished(cutoffMs: number, limit = 100): Promise<string[]> {
    return this.deps.redis.zrangebyscore(this.deps.keys.unpublishedSubmissions(), '-inf', cutoffMs, 'LIMIT', 0, limit);
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
    return transitionScript.run(redis, {
      taskKey: keys.task(taskId),
      opKey: keys.taskOp(taskId, this.deps.newOpId()),
      opTtlSeconds: this.deps.opTtlSeconds,
      to: target,
      at,
      historyEntry: encodeHistoryEntry(target, at),
      terminal: TERMINAL_STATUSES,
      from,
      fields: encodeTransitionFields(opts.fields),
    });
  }

  /** The task's record, or null when there is none. */
  async get(taskId: string): Promise<TaskRecord | null> {
    const key = this.deps.keys.task(taskId);
    return decodeTaskRecord(key, await this.deps.redis.hgetall(key));
  }
}
