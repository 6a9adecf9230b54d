import type { TaskKind } from './options';

/** A task as the run knows it at the end. */
export interface TaskOutcome {
  taskId: string;
  kind: TaskKind;
  /** Status GET /v1/tasks/:id answered last; `missing` for a 404. */
  status: string;
  /**
   * Whether the scripted reviewer decided the escalation the task waits on at the end (a task
   * may escalate again after a decision: only the current one counts).
   */
  decided: boolean;
  /** The escalation an `escalated` task waits on at the end, and that escalation's status. */
  pendingEscalation?: { id: string; status: string };
}

/** A terminal event read from Kafka. */
export interface TerminalEvent {
  type: 'task.completed' | 'task.failed' | 'task.rejected' | 'task.escalated';
  eventId: string;
  taskId: string;
  stopReason?: string;
  escalationId?: string;
}

/** One execution in the tool ledger. */
export interface ToolExecution {
  taskId: string;
  tool: string;
  key: string;
  outcome: 'ok' | 'error';
}

/** Token counts of one model call (served by the simulator, or reported by a charged usage event). */
export interface CallTokens {
  taskId: string;
  promptTokens: number;
  completionTokens: number;
  /**
   * A charge of a call cut off by a crash of its agent (`llm.usage` marked estimated): tokens
   * unknown, charged at the reservation's worst case.
   */
  estimated?: boolean;
}

/** A dead letter, as read from a `.dlt` topic. */
export interface DeadLetter {
  topic: string;
  originalTopic: string;
  consumerGroup: string;
  reason: string;
  error: string;
  taskId: string | null;
  eventId: string | null;
  /** The original value parses as a valid Baton event. */
  validEvent: boolean;
}

/** Everything the checks read. */
export interface ChaosObservations {
  tasks: TaskOutcome[];
  terminalEvents: TerminalEvent[];
  /** Tasks with at least one `step.failed` event. */
  stepFailed: ReadonlySet<string>;
  toolExecutions: ToolExecution[];
  /** Model calls the simulator answered for the run's tasks. */
  served: CallTokens[];
  /** Usage events charged in the spend ledger for the run's tasks. */
  charged: CallTokens[];
  /** Micro-dollars each task still holds in budget reservations. */
  reservedMicros: ReadonlyMap<string, number>;
  deadLetters: DeadLetter[];
}

/** Outcome counts and every invariant, each with the offending ids. */
export interface ChaosVerdict {
  accepted: number;
  outcomes: { completed: number; failed: number; rejected: number; escalatedUndecided: number; other: number };
  byKind: Record<string, { accepted: number; completed: number; failed: number; rejected: number; escalated: number; lost: number }>;
  invariants: {
    /** Not terminal after the settle window (`escalated` counts as not terminal once the reviewer decided it). */
    lost: Array<{ taskId: string; kind: TaskKind; status: string; escalation?: { id: string; status: string } }>;
    /** Ended by a deadline stop reason although no step failed. */
    hung: Array<{ taskId: string; kind: TaskKind }>;
    /** Two different terminal outcomes, or one terminal event under several event ids. */
    duplicateTerminal: Array<{ taskId: string; detail: string }>;
    /** Idempotency keys executed (ok) more than once. */
    duplicateEffects: Array<{ taskId: string; key: string; executions: number }>;
    /**
     * Model calls served but never charged, per task. A served call without an exact charge in
     * a task that has an estimated charge left over is charged by that estimate, not uncharged.
     */
    uncharged: Array<{ taskId: string; calls: number }>;
    /** Charges without a served call (a call charged twice), per task. */
    doubleCharged: Array<{ taskId: string; calls: number }>;
    /** Budget still reserved by tasks after the settle window. */
    reservationsHeld: Array<{ taskId: string; micros: number }>;
    /** Valid events dead-lettered because their handler failed. */
    healthyDeadLetters: Array<{ taskId: string | null; topic: string; group: string; error: string }>;
  };
  modelCalls: {
    served: number;
    charged: number;
    /**
     * Charged at the worst case: calls cut off by a crash of their agent, charged by the
     * step's rerun (estimated usage). Not an invariant: each is one call charged once, at most
     * its reservation. `served` of them the simulator finished answering (a client killed
     * while waiting leaves the rest unanswered, though a provider may bill them too).
     */
    chargedAtWorstCase: { calls: number; served: number; tasks: string[] };
  };
  sideEffects: { executions: number; keys: number };
  deadLetters: { total: number; byReason: Record<string, number>; byTopic: Record<string, number> };
}

/** Number per invariant, the headline of a report: each must be zero. */
export function invariantCounts(v: ChaosVerdict): Record<keyof ChaosVerdict['invariants'], number> {
  const i = v.invariants;
  return {
    lost: i.lost.length,
    hung: i.hung.length,
    duplicateTerminal: i.duplicateTerminal.length,
    duplicateEffects: i.duplicateEffects.length,
    uncharged: i.uncharged.reduce((n, x) => n + x.calls, 0),
    doubleCharged: i.doubleCharged.reduce((n, x) => n + x.calls, 0),
    reservationsHeld: i.reservationsHeld.length,
    healthyDeadLetters: i.healthyDeadLetters.length,
  };
}

const ENDS = new Set(['completed', 'failed', 'rejected']);
const DEADLINE_REASONS = new Set(['deadline_exceeded']);

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}

/** Multiset difference size: items of `a` with no partner in `b`. */
function unmatched(a: readonly CallTokens[], b: readonly CallTokens[]): number {
  const pool = new Map<string, number>();
  for (const x of b) {
    const k = `${x.promptTokens}/${x.completionTokens}`;
    pool.set(k, (pool.get(k) ?? 0) + 1);
  }
  let n = 0;
  for (const x of a) {
    const k = `${x.promptTokens}/${x.completionTokens}`;
    const left = pool.get(k) ?? 0;
    if (left > 0) pool.set(k, left - 1);
    else n += 1;
  }
  return n;
}

/** Checks every invariant of a chaos run over what was observed. Pure: the run gathers, this judges. */
export function checkInvariants(o: ChaosObservations): ChaosVerdict {
  const ours = new Set(o.tasks.map((t) => t.taskId));
  const outcomes = { completed: 0, failed: 0, rejected: 0, escalatedUndecided: 0, other: 0 };
  const byKind: ChaosVerdict['byKind'] = {};
  const lost: ChaosVerdict['invariants']['lost'] = [];
  for (const t of o.tasks) {
    const k = (byKind[t.kind] ??= { accepted: 0, completed: 0, failed: 0, rejected: 0, escalated: 0, lost: 0 });
    k.accepted += 1;
    // An escalation the reviewer decided must resume the task: still escalated then means stranded.
    const terminal = ENDS.has(t.status) || (t.status === 'escalated' && !t.decided);
    if (!terminal) {
      lost.push({ taskId: t.taskId, kind: t.kind, status: t.status, ...(t.pendingEscalation ? { escalation: t.pendingEscalation } : {}) });
      k.lost += 1;
      continue;
    }
    const bucket = t.status === 'escalated' ? 'escalated' : (t.status as 'completed' | 'failed' | 'rejected');
    k[bucket] += 1;
    outcomes[bucket === 'escalated' ? 'escalatedUndecided' : bucket] += 1;
  }

  const kindOf = new Map(o.tasks.map((t) => [t.taskId, t.kind]));
  const events = o.terminalEvents.filter((e) => ours.has(e.taskId));
  const hung: ChaosVerdict['invariants']['hung'] = [];
  const duplicateTerminal: ChaosVerdict['invariants']['duplicateTerminal'] = [];
  for (const [taskId, list] of groupBy(events, (e) => e.taskId)) {
    const ends = list.filter((e) => e.type !== 'task.escalated');
    const types = [...new Set(ends.map((e) => e.type))];
    if (types.length > 1) duplicateTerminal.push({ taskId, detail: `conflicting ends: ${types.join(' + ')}` });
    for (const [type, same] of groupBy(ends, (e) => e.type)) {
      const ids = new Set(same.map((e) => e.eventId));
      if (ids.size > 1) duplicateTerminal.push({ taskId, detail: `${type} ${ids.size} times under different event ids` });
    }
    for (const [escalationId, same] of groupBy(list.filter((e) => e.type === 'task.escalated'), (e) => e.escalationId ?? '')) {
      const ids = new Set(same.map((e) => e.eventId));
      if (ids.size > 1) duplicateTerminal.push({ taskId, detail: `task.escalated ${escalationId} ${ids.size} times under different event ids` });
    }
    if (list.some((e) => e.type === 'task.failed' && e.stopReason && DEADLINE_REASONS.has(e.stopReason)) && !o.stepFailed.has(taskId)) {
      hung.push({ taskId, kind: kindOf.get(taskId) as TaskKind });
    }
  }

  const okRuns = o.toolExecutions.filter((x) => ours.has(x.taskId) && x.outcome === 'ok');
  const duplicateEffects = [...groupBy(okRuns, (x) => x.key)]
    .filter(([, runs]) => runs.length > 1)
    .map(([key, runs]) => ({ taskId: runs[0].taskId, key, executions: runs.length }));

  const served = groupBy(o.served.filter((c) => ours.has(c.taskId)), (c) => c.taskId);
  const charged = groupBy(o.charged.filter((c) => ours.has(c.taskId)), (c) => c.taskId);
  const uncharged: ChaosVerdict['invariants']['uncharged'] = [];
  const doubleCharged: ChaosVerdict['invariants']['doubleCharged'] = [];
  const chargedAtWorstCase = { calls: 0, served: 0, tasks: [] as string[] };
  for (const taskId of ours) {
    const s = served.get(taskId) ?? [];
    const all = charged.get(taskId) ?? [];
    const exact = all.filter((c) => !c.estimated);
    const estimates = all.length - exact.length;
    // Exact charges match served calls by their tokens; an estimate (tokens unknown) stands for
    // any one served call left without an exact charge. The ledger settles a reservation once,
    // so an estimate never charges a call its own usage also charged.
    const missing = unmatched(s, exact);
    const byEstimate = Math.min(missing, estimates);
    const extra = unmatched(exact, s);
    if (missing > byEstimate) uncharged.push({ taskId, calls: missing - byEstimate });
    if (extra > 0) doubleCharged.push({ taskId, calls: extra });
    if (estimates > 0) {
      chargedAtWorstCase.calls += estimates;
      chargedAtWorstCase.served += byEstimate;
      chargedAtWorstCase.tasks.push(taskId);
    }
  }

  const reservationsHeld = [...o.reservedMicros].filter(([id, micros]) => ours.has(id) && micros > 0).map(([taskId, micros]) => ({ taskId, micros }));

  const byReason: Record<string, number> = {};
  const byTopic: Record<string, number> = {};
  for (const d of o.deadLetters) {
    byReason[d.reason] = (byReason[d.reason] ?? 0) + 1;
    byTopic[d.originalTopic] = (byTopic[d.originalTopic] ?? 0) + 1;
  }
  const healthyDeadLetters = o.deadLetters
    .filter((d) => d.reason === 'handler_failed' && d.validEvent)
    .map((d) => ({ taskId: d.taskId, topic: d.originalTopic, group: d.consumerGroup, error: d.error.slice(0, 200) }));

  return {
    accepted: o.tasks.length,
    outcomes,
    byKind,
    invariants: { lost, hung, duplicateTerminal, duplicateEffects, uncharged, doubleCharged, reservationsHeld, healthyDeadLetters },
    modelCalls: { served: o.served.filter((c) => ours.has(c.taskId)).length, charged: o.charged.filter((c) => ours.has(c.taskId)).length, chargedAtWorstCase },
    sideEffects: { executions: okRuns.length, keys: new Set(okRuns.map((x) => x.key)).size },
    deadLetters: { total: o.deadLetters.length, byReason, byTopic },
  };
}
