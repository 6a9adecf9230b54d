import type { StateDeps } from '../state-deps';
import { TOOL_RUN_DONE, TOOL_RUN_RUNNING } from './tool-records';
import { toolFinishScript, toolReleaseScript } from './tool.scripts';

/** How long the result of an execution is kept for replays: a week of retries and redeliveries. */
export const DEFAULT_TOOL_RESULT_TTL_SECONDS = 7 * 86400;
/** How long a running execution holds its key before another caller may take over, ms. */
export const DEFAULT_TOOL_LEASE_MS = 60_000;
/** How long a caller waits for another caller running the same key, ms. */
export const DEFAULT_TOOL_WAIT_MS = 10_000;
/** Executions kept in a tenant's ledger (the newest); a task's ledger keeps all. */
export const DEFAULT_TENANT_LEDGER_MAX = 10_000;

/** What the ledger keeps of one call besides the outcome (ToolExecutionRecord of the tools library). */
export interface ToolLedgerRecord {
  /** Tool name. */
  tool: string;
  /** Tenant from the envelope; scopes the idempotency key. */
  tenantId: string;
  /** Task the call was made for. */
  taskId: string;
  /** The validated arguments. */
  args: Record<string, unknown>;
  /** Hash of the canonical JSON of the arguments; a replay compares it with the first run's. */
  argsHash: string;
  /** Step, attempt, role, the model's call id and the tool's side effect: stored as given. */
  stepId?: string;
  attempt?: number;
  role?: string;
  callId?: string;
  sideEffect?: string;
}

/** One execution as the ledger holds it. */
export type ToolLedgerEntry = ToolLedgerRecord & {
  /** Idempotency key it ran under. */
  key: string;
  /** When the effect finished, ISO 8601. */
  at: string;
  /** `ok`: the effect returned; `error`: it threw and released the key. */
  outcome: 'ok' | 'error';
  /** The error's message, when it threw. */
  error?: string;
};

/** Tuning of the ledger; tests shorten the times. */
export interface ToolLedgerOptions {
  resultTtlSeconds?: number;
  leaseMs?: number;
  waitMs?: number;
  /** Pause between looks at a key another caller is running, ms. */
  pollMs?: number;
  tenantLedgerMax?: number;
}

/** Thrown when another caller still runs the same key after the wait; retry later. */
export class ToolCallInFlightError extends Error {
  override readonly name = 'ToolCallInFlightError';
  /**
   * The key frees itself when the other caller finishes or its lease ends: the bus classifies
   * `retriable` errors as transient and waits them out instead of dead-lettering the step.
   */
  readonly retriable = true;
}

/** Same rules as the key space's ids: no braces (hash tags) or whitespace. */
function checkId(kind: string, id: string): string {
  if (id.length === 0 || id.length > 256 || /[{}\s]/.test(id)) {
    throw new RangeError(`${kind} must be 1 to 256 characters without braces or whitespace, got ${JSON.stringify(id)}`);
  }
  return id;
}

/** Redis keys of the tool ledger, under the deployment's prefix. */
export class ToolLedgerKeys {
  constructor(private readonly prefix: string) {}

  /** String: the claim (`running <owner>`) or stored result (`done <json>`) of one key, per tenant. */
  run(tenantId: string, key: string): string {
    if (key.length === 0 || key.length > 1024) throw new RangeError(`idempotency key must be 1 to 1024 characters, got ${key.length}`);
    // The key is the tool's text; encoding it keeps stray braces from forming a hash tag.
    return `${this.prefix}tool:{${checkId('tenantId', tenantId)}}:run:${encodeURIComponent(key)}`;
  }

  /** List: the task's executions as JSON, oldest first. */
  task(taskId: string): string {
    return `${this.prefix}{${checkId('taskId', taskId)}}:tools`;
  }

  /** List: the tenant's latest executions as JSON, oldest first. */
  tenant(tenantId: string): string {
    return `${this.prefix}tenant:{${checkId('tenantId', tenantId)}}:tools`;
  }

  /** Hash id → JSON of a tenant's records of one collection (fixtures the sample tools read). */
  records(tenantId: string, collection: string): string {
    return `${this.prefix}tenant:{${checkId('tenantId', tenantId)}}:records:${checkId('collection', collection)}`;
  }
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The tools' backend on Redis: runs each effect at most once per tenant and idempotency key
 * (SET NX claims the key; the result replaces the claim, so later callers replay it), keeps
 * every execution in the task's and the tenant's ledger (the outbox of the sample tools),
 * and holds the tenant-scoped records the sample tools read.
 *
 * A claim is a lease: a caller that dies while running leaves the key to the next caller
 * once `leaseMs` passed, and an effect must finish within it. An effect that throws is
 * recorded as an error and releases the key, so a tool must throw only when nothing happened.
 */
export class ToolLedger {
  readonly keys: ToolLedgerKeys;
  private readonly resultTtlSeconds: number;
  private readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly pollMs: number;
  private readonly tenantLedgerMax: number;

  constructor(
    private readonly deps: StateDeps,
    opts: ToolLedgerOptions = {},
  ) {
    this.keys = new ToolLedgerKeys(deps.keys.prefix);
    this.resultTtlSeconds = positive('resultTtlSeconds', opts.resultTtlSeconds ?? DEFAULT_TOOL_RESULT_TTL_SECONDS);
    this.leaseMs = positive('leaseMs', opts.leaseMs ?? DEFAULT_TOOL_LEASE_MS);
    this.waitMs = positive('waitMs', opts.waitMs ?? DEFAULT_TOOL_WAIT_MS);
    this.pollMs = positive('pollMs', opts.pollMs ?? 25);
    this.tenantLedgerMax = positive('tenantLedgerMax', opts.tenantLedgerMax ?? DEFAULT_TENANT_LEDGER_MAX);
  }

  /**
   * Runs `effect` unless `key` already ran for the tenant: then the stored result comes back
   * with `replayed: true` (and `sameArgs: false` when the arguments differ). A caller that
   * finds the key running waits up to `waitMs` for its result, then throws ToolCallInFlightError.
   */
  async execute<R>(key: string, record: ToolLedgerRecord, effect: () => Promise<R>): Promise<{ value: R; replayed: boolean; sameArgs: boolean }> {
    const { redis } = this.deps;
    const runKey = this.keys.run(record.tenantId, key);
    const claim = `${TOOL_RUN_RUNNING}${this.deps.newOpId()}`;
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      if ((await redis.set(runKey, claim, 'PX', this.leaseMs, 'NX')) === 'OK') break;
      const current = await redis.get(runKey);
      if (current?.startsWith(TOOL_RUN_DONE)) {
        const stored = JSON.parse(current.slice(TOOL_RUN_DONE.length)) as { argsHash: string; value: R };
        return { value: stored.value, replayed: true, sameArgs: stored.argsHash === record.argsHash };
      }
      // Running elsewhere (or released/expired in between, and the next SET NX takes it).
      if (current !== null && Date.now() >= deadline) {
        throw new ToolCallInFlightError(`tool call ${record.tool} (${key}) is still running elsewhere; try again later`);
      }
      if (current !== null) await sleep(this.pollMs);
    }

    let value: R;
    try {
      value = await effect();
    } catch (err) {
      await this.append(key, record, 'error', (err as Error).message);
      await toolReleaseScript.run(redis, { runKey, claim });
      throw err;
    }
    // Ledger first: an execution that happened is on record even if storing the result fails.
    await this.append(key, record, 'ok');
    const done = `${TOOL_RUN_DONE}${JSON.stringify({ argsHash: record.argsHash, value: value ?? null })}`;
    await toolFinishScript.run(redis, { runKey, claim, done, ttlSeconds: this.resultTtlSeconds });
    return { value, replayed: false, sameArgs: true };
  }

  /** The task's executions, oldest first. */
  async executions(taskId: string): Promise<ToolLedgerEntry[]> {
    return this.read(this.keys.task(taskId), 0);
  }

  /** The tenant's latest executions (up to `limit`), oldest first. */
  async executionsForTenant(tenantId: string, limit = 100): Promise<ToolLedgerEntry[]> {
    return this.read(this.keys.tenant(tenantId), -positive('limit', limit));
  }

  /** Stores a record the tools may read (fixture data), replacing one with the same id. */
  async seed(tenantId: string, collection: string, id: string, record: Record<string, unknown>): Promise<void> {
    await this.deps.redis.hset(this.keys.records(tenantId, collection), checkId('id', id), JSON.stringify(record));
  }

  /** One of the tenant's records, or undefined (also when the id belongs to another tenant). */
  async getRecord(tenantId: string, collection: string, id: string): Promise<Record<string, unknown> | undefined> {
    const json = await this.deps.redis.hget(this.keys.records(tenantId, collection), id);
    return json === null ? undefined : (JSON.parse(json) as Record<string, unknown>);
  }

  /** Every record of the tenant's collection, in no particular order. */
  async listRecords(tenantId: string, collection: string): Promise<Record<string, unknown>[]> {
    const all = await this.deps.redis.hvals(this.keys.records(tenantId, collection));
    return all.map((json) => JSON.parse(json) as Record<string, unknown>);
  }

  private async append(key: string, record: ToolLedgerRecord, outcome: 'ok' | 'error', error?: string): Promise<void> {
    const entry: ToolLedgerEntry = { ...record, key, at: this.deps.now().toISOString(), outcome, ...(error === undefined ? {} : { error }) };
    const json = JSON.stringify(entry);
    const tenantKey = this.keys.tenant(record.tenantId);
    // Task and tenant keys carry different hash tags, so these are separate commands.
    await Promise.all([
      this.deps.redis.rpush(this.keys.task(record.taskId), json),
      this.deps.redis.rpush(tenantKey, json).then(() => this.deps.redis.ltrim(tenantKey, -this.tenantLedgerMax, -1)),
    ]);
  }

  private async read(listKey: string, from: number): Promise<ToolLedgerEntry[]> {
    const items = await this.deps.redis.lrange(listKey, from, -1);
    return items.map((json) => JSON.parse(json) as ToolLedgerEntry);
  }
}
