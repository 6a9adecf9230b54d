// Submits the simulated tasks, a few at a time, and follows each to a settled status.
import type { TaskInput } from '@baton/contracts';
import type { TaskView } from '../task-view';
import { isTerminal } from '../task-view';
import type { RunOutcome, RunRecord } from './report';

/** What one simulated task is submitted as: the workflow's sample. */
export interface SimulationTaskBody {
  taskType: string;
  workflow: string;
  input: TaskInput;
}

/** The part of the gateway's task API the runner uses. */
export interface TaskApi {
  submit(body: SimulationTaskBody): Promise<{ taskId: string }>;
  get(taskId: string): Promise<TaskView>;
}

/** How many runs, how many at once, and how long one may take. */
export interface RunnerOptions {
  runs: number;
  concurrency: number;
  /** Longest wait for one task from its submission, ms; unfinished runs count as `timed_out`. */
  taskTimeoutMs: number;
  /** Pause between two reads of one task, ms (default 100: latency is measured to about that). */
  pollMs?: number;
}

/** Clock, sleep and progress; tests pass fakes. */
export interface RunnerDeps {
  api: TaskApi;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called after each run ends, with the number ended so far. */
  onRunEnded?: (run: RunRecord, ended: number) => void;
  /** Stops submitting and following; the runs ended so far are returned. */
  signal?: AbortSignal;
}

const SETTLED_OUTCOMES: ReadonlySet<string> = new Set<RunOutcome>(['completed', 'failed', 'escalated', 'rejected']);
const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Runs `opts.runs` tasks of `body`, at most `opts.concurrency` at a time; resolves with one record per ended run. */
export async function runSimulation(body: SimulationTaskBody, opts: RunnerOptions, deps: RunnerDeps): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  let next = 0;
  const worker = async () => {
    while (next < opts.runs && !deps.signal?.aborted) {
      next++;
      const record = await runOne(body, opts, deps);
      if (!record) return;
      records.push(record);
      deps.onRunEnded?.(record, records.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.runs)) }, worker));
  return records;
}

/** One task from submission to a settled status, a time-out or a client error; undefined when aborted. */
async function runOne(body: SimulationTaskBody, opts: RunnerOptions, deps: RunnerDeps): Promise<RunRecord | undefined> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const started = now();
  let taskId: string;
  try {
    ({ taskId } = await deps.api.submit(body));
  } catch (err) {
    return { outcome: 'client_error', detail: `submit: ${messageOf(err)}` };
  }
  let last: TaskView | undefined;
  let lastError: string | undefined;
  for (;;) {
    if (deps.signal?.aborted) return undefined;
    try {
      last = await deps.api.get(taskId);
      lastError = undefined;
      if (isTerminal(last.status) && SETTLED_OUTCOMES.has(last.status)) {
        return {
          taskId,
          outcome: last.status as RunOutcome,
          ...(last.status !== 'completed' && last.error ? { stopReason: last.error.code } : {}),
          attempts: last.attempts,
          costMicros: last.costMicros,
          latencyMs: now() - started,
        };
      }
    } catch (err) {
      // One failed read is no verdict on the task: keep reading until the time runs out.
      lastError = messageOf(err);
    }
    const left = opts.taskTimeoutMs - (now() - started);
    if (left <= 0) {
      if (lastError !== undefined) return { taskId, outcome: 'client_error', detail: `status: ${lastError}` };
      return { taskId, outcome: 'timed_out', ...(last ? { attempts: last.attempts, costMicros: last.costMicros } : {}) };
    }
    await sleep(Math.min(opts.pollMs ?? 100, left));
  }
}

/**
 * Reads every task once more for its cost. Spend is recorded asynchronously (the cost
 * accountant consumes usage events), so a task's cost can still grow just after it settled.
 */
export async function refreshCosts(records: RunRecord[], api: Pick<TaskApi, 'get'>, concurrency: number): Promise<void> {
  const todo = records.filter((r) => r.taskId !== undefined);
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const record = todo[next++];
      try {
        const view = await api.get(record.taskId as string);
        record.costMicros = Math.max(record.costMicros ?? 0, view.costMicros);
      } catch {
        // Keep the cost read when the run ended.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}
