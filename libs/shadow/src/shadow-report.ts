import { SETTLED_STATUSES, type TaskStatus, sameJson } from '@baton/contracts';

/** One side (live or shadow) of a task, as the report reads it. */
export interface ShadowSide {
  /** Current status. */
  status: TaskStatus;
  /** Final or latest output, when one was stored. */
  result?: unknown;
  /** Why the task failed, was rejected or escalated, when stored. */
  error?: { kind: string; code: string; message?: string };
  /** When the record was created (ISO 8601). */
  createdAt: string;
  /** When the record last changed (ISO 8601). */
  updatedAt: string;
  /** Attempts of the current step. */
  attempts: number;
  /** Model the task was routed to. */
  model?: string;
  /** Agent role working on the task. */
  role?: string;
  /** Spend on the task in this side's keyspace, integer micro-dollars. */
  costMicros: number;
}

/** Both sides of one task of the shadow index; a side is null when its record is missing. */
export interface ShadowPair {
  taskId: string;
  live: ShadowSide | null;
  shadow: ShadowSide | null;
}

/** Figures of one side over the compared tasks. */
export interface SideSummary {
  /** Compared tasks by status on this side. */
  statuses: Partial<Record<TaskStatus, number>>;
  /** Compared tasks by routed model (`unrouted` when none was chosen). */
  models: Record<string, number>;
  /** Spend on the compared tasks, integer micro-dollars; mean per task, rounded. */
  costMicros: { total: number; mean: number | null };
  /** createdAt → updatedAt of the compared tasks (nearest-rank percentiles). */
  latencyMs: { p50: number | null; p90: number | null };
  /** Share of compared tasks that ended escalated (waiting for a human). */
  escalationRate: number | null;
  /** Share of compared tasks that ended failed. */
  failureRate: number | null;
}

/** A short view of one side of a disagreement. */
export interface SideBrief {
  status: TaskStatus;
  model?: string;
  /** The result as JSON, cut to a readable length. */
  result?: string;
  /** The error code, when there is one. */
  error?: string;
}

/** A compared task whose sides did not agree. */
export interface Disagreement {
  taskId: string;
  /** True when only the results differ. */
  statusAgrees: boolean;
  live: SideBrief;
  shadow: SideBrief;
}

/** What the candidate policy would have done, next to what live did. */
export interface ShadowReport {
  tasks: {
    /** Entries of the shadow index read. */
    indexed: number;
    /** Both sides settled (completed, failed, rejected or escalated): every figure below is over these. */
    compared: number;
    /** Both records exist, at least one side still under way. */
    pending: number;
    /** The live or the shadow record is missing. */
    missing: number;
  };
  agreement: {
    /** Same status and deep-equal result. */
    agreed: number;
    rate: number | null;
    /** Same status, whatever the results. */
    statusAgreed: number;
    statusRate: number | null;
  };
  live: SideSummary;
  shadow: SideSummary;
  /** Compared tasks that did not agree, in index order. */
  disagreements: Disagreement[];
}

const SETTLED: ReadonlySet<TaskStatus> = new Set(SETTLED_STATUSES);
const RESULT_SUMMARY_CHARS = 160;

/** True when the task does nothing more on its own. */
export function isSettled(side: ShadowSide): boolean {
  return SETTLED.has(side.status);
}

/** Same status and deep-equal result (key order ignored): the sides agree. */
export function sidesAgree(live: ShadowSide, shadow: ShadowSide): boolean {
  return live.status === shadow.status && sameJson(live.result, shadow.result);
}

/** Compares the two sides of every task of the shadow index. Pure. */
export function buildShadowReport(pairs: readonly ShadowPair[]): ShadowReport {
  const compared: Array<{ taskId: string; live: ShadowSide; shadow: ShadowSide }> = [];
  let pending = 0;
  let missing = 0;
  for (const p of pairs) {
    if (!p.live || !p.shadow) missing++;
    else if (isSettled(p.live) && isSettled(p.shadow)) compared.push({ taskId: p.taskId, live: p.live, shadow: p.shadow });
    else pending++;
  }
  const disagreements: Disagreement[] = [];
  let agreed = 0;
  let statusAgreed = 0;
  for (const c of compared) {
    const statusAgrees = c.live.status === c.shadow.status;
    if (statusAgrees) statusAgreed++;
    if (statusAgrees && sameJson(c.live.result, c.shadow.result)) agreed++;
    else disagreements.push({ taskId: c.taskId, statusAgrees, live: brief(c.live), shadow: brief(c.shadow) });
  }
  const n = compared.length;
  return {
    tasks: { indexed: pairs.length, compared: n, pending, missing },
    agreement: { agreed, rate: rate(agreed, n), statusAgreed, statusRate: rate(statusAgreed, n) },
    live: summarize(compared.map((c) => c.live)),
    shadow: summarize(compared.map((c) => c.shadow)),
    disagreements,
  };
}

function summarize(sides: ShadowSide[]): SideSummary {
  const statuses: Partial<Record<TaskStatus, number>> = {};
  const models: Record<string, number> = {};
  let total = 0;
  for (const s of sides) {
    statuses[s.status] = (statuses[s.status] ?? 0) + 1;
    const model = s.model ?? 'unrouted';
    models[model] = (models[model] ?? 0) + 1;
    total += s.costMicros;
  }
  const latencies = sides.map(latencyMs).filter((ms): ms is number => ms !== null);
  return {
    statuses,
    models,
    costMicros: { total, mean: sides.length ? Math.round(total / sides.length) : null },
    latencyMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90) },
    escalationRate: rate(statuses.escalated ?? 0, sides.length),
    failureRate: rate(statuses.failed ?? 0, sides.length),
  };
}

/** createdAt → updatedAt in ms; null when a timestamp does not parse. */
export function latencyMs(side: Pick<ShadowSide, 'createdAt' | 'updatedAt'>): number | null {
  const ms = Date.parse(side.updatedAt) - Date.parse(side.createdAt);
  return Number.isFinite(ms) ? Math.max(0, ms) : null;
}

/** Nearest-rank percentile (the smallest value with at least p% of the values at or below it); null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

function rate(count: number, of: number): number | null {
  // Four decimals: a share, not a measurement; keeps the JSON readable.
  return of === 0 ? null : Math.round((count / of) * 10_000) / 10_000;
}

function brief(side: ShadowSide): SideBrief {
  return {
    status: side.status,
    ...(side.model ? { model: side.model } : {}),
    ...(side.result !== undefined ? { result: summarizeJson(side.result) } : {}),
    ...(side.error ? { error: side.error.code } : {}),
  };
}

function summarizeJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > RESULT_SUMMARY_CHARS ? `${text.slice(0, RESULT_SUMMARY_CHARS - 1)}…` : text;
}
