import { TaskStatus } from '@baton/contracts';
import { luaScript } from '../lua/lua-script';

/** Creating a task record (guardrails and planner, for tasks published straight to Kafka). */
export interface CreateTaskInput {
  /** KeySpace.task. */
  taskKey: string;
  /** KeySpace.taskOp of this call's op id. */
  opKey: string;
  opTtlSeconds: number;
  taskId: string;
  tenantId: string;
  taskType: string;
  traceId: string | null;
  rootSpanId: string | null;
  submittedEventId: string | null;
  /** ISO time of createdAt and updatedAt. */
  at: string;
  /** The first history entry (encodeHistoryEntry of `submitted` at `at`). */
  historyEntry: string;
}

/** Creates the record in status `submitted`; true when created (by this op), false when it existed. */
export const createTaskScript = luaScript({
  command: 'batonCreateTask',
  numberOfKeys: 2,
  lua: `
if redis.call('EXISTS', KEYS[2]) == 1 then return 1 end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1],
  'taskId', ARGV[2], 'tenantId', ARGV[3], 'taskType', ARGV[4], 'status', 'submitted',
  'attempts', '0', 'createdAt', ARGV[6], 'updatedAt', ARGV[6], 'history', '[' .. ARGV[7] .. ']')
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'traceId', ARGV[5]) end
if ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'rootSpanId', ARGV[8]) end
if ARGV[9] and ARGV[9] ~= '' then redis.call('HSET', KEYS[1], 'submittedEventId', ARGV[9]) end
redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
return 1
`,
  call: (i: CreateTaskInput) => ({
    keys: [i.taskKey, i.opKey],
    argv: [i.opTtlSeconds, i.taskId, i.tenantId, i.taskType, i.traceId ?? '', i.at, i.historyEntry, i.rootSpanId ?? '', i.submittedEventId ?? ''],
  }),
  reply: (created: number) => created === 1,
});

/** A gateway submission; see submitTaskScript. */
export interface SubmitTaskInput {
  /** KeySpace.task. */
  taskKey: string;
  /** KeySpace.taskOp of this call's op id. */
  opKey: string;
  /** The client's idempotency key (KeySpace.idempotency) and how long it holds the task; null when none was sent. */
  idempotency: { key: string; ttlSeconds: number } | null;
  /** KeySpace.taskSubmission. */
  submissionKey: string;
  /** KeySpace.unpublishedSubmissions. */
  unpublishedKey: string;
  opTtlSeconds: number;
  taskId: string;
  tenantId: string;
  taskType: string;
  traceId: string | null;
  rootSpanId: string | null;
  /** ISO time of createdAt and updatedAt. */
  at: string;
  /** The first history entry. */
  historyEntry: string;
  /** Id of the `task.submitted` event; becomes the record's submittedEventId. */
  submittedEventId: string;
  /** The `task.submitted` event as JSON, kept in the outbox. */
  submission: string;
  /** Creation time, ms: its score in the outbox index. */
  nowMs: number;
  /**
   * A holder of the key whose task the caller found missing (left by a claim made before
   * claims and tasks were created together): taken over. Null: none.
   */
  staleHolder: string | null;
}

/**
 * A gateway submission: claims the client's idempotency key, creates the task record and
 * puts its `task.submitted` event in the outbox, all or nothing, so a key never points at a
 * task that does not exist and a created task is always either published or in the outbox.
 * The key is tenant-tagged and the outbox index is deployment-wide, so like the spend script
 * this one is single-node only. Answers `created` when this op created the task; else the
 * task the key belongs to (`holder`: another task, or this one when it existed).
 */
export const submitTaskScript = luaScript({
  command: 'batonSubmitTask',
  numberOfKeys: 5,
  lua: `
if redis.call('EXISTS', KEYS[2]) == 1 then return {1, ARGV[2]} end
local ttl = tonumber(ARGV[12])
if ttl > 0 then
  local holder = redis.call('GET', KEYS[3])
  if holder and holder ~= ARGV[13] then return {0, holder} end
end
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, ARGV[2]} end
redis.call('HSET', KEYS[1],
  'taskId', ARGV[2], 'tenantId', ARGV[3], 'taskType', ARGV[4], 'status', 'submitted',
  'attempts', '0', 'createdAt', ARGV[6], 'updatedAt', ARGV[6], 'history', '[' .. ARGV[7] .. ']',
  'submittedEventId', ARGV[9], 'published', '0')
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'traceId', ARGV[5]) end
if ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'rootSpanId', ARGV[8]) end
redis.call('SET', KEYS[4], ARGV[10])
redis.call('ZADD', KEYS[5], ARGV[11], ARGV[2])
if ttl > 0 then redis.call('SET', KEYS[3], ARGV[2], 'EX', ttl) end
redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
return {1, ARGV[2]}
`,
  call: (i: SubmitTaskInput) => ({
    // Without an idempotency key the task key stands in for it (the script then never reads it: TTL 0).
    keys: [i.taskKey, i.opKey, i.idempotency?.key ?? i.taskKey, i.submissionKey, i.unpublishedKey],
    argv: [
      i.opTtlSeconds,
      i.taskId,
      i.tenantId,
      i.taskType,
      i.traceId ?? '',
      i.at,
      i.historyEntry,
      i.rootSpanId ?? '',
      i.submittedEventId,
      i.submission,
      i.nowMs,
      i.idempotency?.ttlSeconds ?? 0,
      i.staleHolder ?? '',
    ],
  }),
  reply: ([created, holder]: [number, string]) => ({ created: created === 1, holder }),
});

/** Taking a submission out of the outbox. */
export interface SettleSubmissionInput {
  /** KeySpace.task. */
  taskKey: string;
  /** KeySpace.taskSubmission. */
  submissionKey: string;
  /** KeySpace.unpublishedSubmissions. */
  unpublishedKey: string;
  taskId: string;
  /** True: it was published (the record's `published` becomes 1); false: given up (the task failed before it was queued). */
  published: boolean;
}

/** Takes a submission out of the outbox. Idempotent; no op id needed. */
export const settleSubmissionScript = luaScript({
  command: 'batonSettleSubmission',
  numberOfKeys: 3,
  lua: `
if ARGV[2] == '1' and redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'published', '1') end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
`,
  call: (i: SettleSubmissionInput) => ({
    keys: [i.taskKey, i.submissionKey, i.unpublishedKey],
    argv: [i.taskId, i.published ? 1 : 0],
  }),
  reply: (_done: number) => undefined,
});

/** A status change; see transitionScript. */
export interface TransitionInput {
  /** KeySpace.task. */
  taskKey: string;
  /** KeySpace.taskOp of this call's op id. */
  opKey: string;
  opTtlSeconds: number;
  to: TaskStatus;
  /** ISO time of updatedAt. */
  at: string;
  /** The history entry appended (encodeHistoryEntry of `to` at `at`). */
  historyEntry: string;
  /** Statuses never left. */
  terminal: readonly TaskStatus[];
  /** Apply only from one of these; undefined: from any (but a terminal one or `to`). */
  from: readonly TaskStatus[] | undefined;
  /** Hash field/value pairs stored with the status (encodeTransitionFields). */
  fields: readonly string[];
}

/**
 * Moves the task to `to`: not applied when it is missing (`status` null), in a terminal
 * status, already in `to`, or not in one of `from`. Applied: appends to the history, sets
 * updatedAt and stores the fields. Answers the status after the call.
 */
export const transitionScript = luaScript({
  command: 'batonTransition',
  numberOfKeys: 2,
  lua: `
local done = redis.call('GET', KEYS[2])
if done then return {1, done} end
local cur = redis.call('HGET', KEYS[1], 'status')
if not cur then return {0, ''} end
local to = ARGV[2]
if cur == to then return {0, cur} end
local i = 5
local nTerminal = tonumber(ARGV[i])
for j = 1, nTerminal do
  if ARGV[i + j] == cur then return {0, cur} end
end
i = i + nTerminal + 1
local nFrom = tonumber(ARGV[i])
if nFrom >= 0 then
  local allowed = false
  for j = 1, nFrom do
    if ARGV[i + j] == cur then allowed = true end
  end
  if not allowed then return {0, cur} end
  i = i + nFrom
end
i = i + 1
local history = redis.call('HGET', KEYS[1], 'history')
if not history or history == '' or history == '[]' then
  history = '[' .. ARGV[4] .. ']'
else
  history = string.sub(history, 1, -2) .. ',' .. ARGV[4] .. ']'
end
redis.call('HSET', KEYS[1], 'status', to, 'updatedAt', ARGV[3], 'history', history)
while i < #ARGV do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
redis.call('SET', KEYS[2], to, 'EX', ARGV[1])
return {1, to}
`,
  call: (i: TransitionInput) => ({
    keys: [i.taskKey, i.opKey],
    // Counted lists: the terminal statuses, then the allowed ones (-1: no guard), then field/value pairs.
    argv: [
      i.opTtlSeconds,
      i.to,
      i.at,
      i.historyEntry,
      i.terminal.length,
      ...i.terminal,
      i.from ? i.from.length : -1,
      ...(i.from ?? []),
      ...i.fields,
    ],
  }),
  reply: ([applied, status]: [number, string]) => ({ applied: applied === 1, status: status === '' ? null : TaskStatus.parse(status) }),
});
