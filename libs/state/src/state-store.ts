import { Redis } from 'ioredis';
import { AuditTrail } from './audit/audit-trail';
import { type BreakerPolicy, ModelBreakers, resolveBreakerPolicy } from './breakers/model-breakers';
import { BudgetLedger } from './budget/budget-ledger';
import { TaskContextStore } from './context/task-context.store';
import { VersionedValueStore } from './context/versioned-value.store';
import { DeadlineIndex } from './deadlines/deadline-index';
import { RedisDedupeStore } from './dedupe/dedupe.store';
import { EscalationStore } from './escalations/escalation.store';
import { IdempotencyKeys } from './idempotency/idempotency-keys';
import { KeySpace } from './keys';
import { WorkLeases } from './leases/work-leases';
import { defineScripts } from './lua/define-scripts';
import type { BatonRedis } from './lua/lua-script';
import { RateLimiter } from './rate/rate-limiter';
import { RedriveLog } from './redrive/redrive-log';
import { describeRedisUrl } from './redis-url';
import { SpendLedger } from './spend/spend-ledger';
import { stateDeps } from './state-deps';
import { TaskStateRepository } from './task/task-state.repository';
import { ToolCallCounter } from './tools/tool-call-counter';
import { ToolLedger } from './tools/tool-ledger';

/** Options of StateStore.connect. */
export interface StateStoreOptions {
  /** Client name shown by CLIENT LIST; use the service name. */
  name?: string;
  /** Prefix of every key; defaults to `baton:`. Tests use a unique one. */
  keyPrefix?: string;
  /** How long dedupe marks live, seconds; defaults to 7 days. */
  dedupeTtlSeconds?: number;
  /** How long to wait for Redis to answer before giving up, ms; defaults to 10 s. */
  connectTimeoutMs?: number;
  /** Threshold and cool-down of the model circuit breakers; defaults: 3 failures, 30 s. */
  breaker?: Partial<BreakerPolicy>;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const PING_TIMEOUT_MS = 2_000;

/**
 * Opens an ioredis client with Baton's scripts and resolves once it is ready. ioredis
 * keeps retrying a refused connection on its own, so the deadline, not the first
 * failure, decides; the error names the (password-masked) URL and the last cause.
 */
export async function connectClient(url: string, opts: StateStoreOptions = {}): Promise<BatonRedis> {
  const where = describeRedisUrl(url);
  const timeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const redis = defineScripts(
    new Redis(url, {
      lazyConnect: true,
      connectionName: opts.name,
      // ioredis arms this timer on disconnect() even when the socket already died (as after a
      // refused connection) and it holds the process open; the 2 s default delays exits.
      disconnectTimeout: 500,
    }),
  );
  let lastError: Error | undefined;
  // Without a listener ioredis prints every failed attempt to stderr while we wait.
  const onError = (err: Error): void => {
    lastError = err;
  };
  redis.on('error', onError);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const cause = lastError ? `: ${lastError.message}` : '';
        reject(new Error(`Redis at ${where} is not reachable (no answer within ${timeoutMs} ms)${cause}`));
      }, timeoutMs);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
      redis.connect().catch(() => undefined);
    });
  } catch (err) {
    redis.disconnect();
    throw err;
  } finally {
    redis.off('error', onError);
  }
  return redis;
}

/**
 * Baton's Redis state: task records, step context, dedupe marks, spend totals, budget
 * reservations, rate limits, idempotency keys, model breakers and escalations.
 */
export class StateStore {
  /** Task records and their state machine. */
  readonly tasks: TaskStateRepository;
  /** Handled-event marks per consumer group. */
  readonly dedupe: RedisDedupeStore;
  /** Spend totals. */
  readonly spend: SpendLedger;
  /** Client idempotency keys of submissions. */
  readonly idempotency: IdempotencyKeys;
  /** Named values shared by the steps of a task. */
  readonly context: TaskContextStore;
  /** Context values several handlers change at once, saved with compare-and-set (the planner's run). */
  readonly versioned: VersionedValueStore;
  /** Leases on work two consumers may be handed at once (a long step during a rebalance). */
  readonly leases: WorkLeases;
  /** Circuit breaker per model, shared by every replica. */
  readonly breakers: ModelBreakers;
  /** Running tasks by deadline. */
  readonly deadlines: DeadlineIndex;
  /** Escalations waiting for a human, and their decisions. */
  readonly escalations: EscalationStore;
  /** Budget reservations before model calls, settled into the spend totals after. */
  readonly budgets: BudgetLedger;
  /** Request and token rate limits shared by every replica. */
  readonly rates: RateLimiter;
  /** Tool executions (at most once per key), their ledger, and the records tools read. */
  readonly tools: ToolLedger;
  /** Calls of each tool per task, for the permission policy's call limits. */
  readonly toolCalls: ToolCallCounter;
  /** Each task's audit trail, as the audit topic's indexer files it. */
  readonly audit: AuditTrail;
  /** Dead letters sent back to their topic (baton dlq redrive). */
  readonly redrives: RedriveLog;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly redis: BatonRedis,
    opts: StateStoreOptions,
  ) {
    const deps = stateDeps(redis, { keys: new KeySpace(opts.keyPrefix) });
    this.tasks = new TaskStateRepository(deps);
    this.dedupe = new RedisDedupeStore(deps, opts.dedupeTtlSeconds);
    this.spend = new SpendLedger(deps);
    this.idempotency = new IdempotencyKeys(deps);
    this.context = new TaskContextStore(deps);
    this.versioned = new VersionedValueStore(deps);
    this.leases = new WorkLeases(deps, opts.dedupeTtlSeconds);
    this.deadlines = new DeadlineIndex(deps);
    this.breakers = new ModelBreakers(deps, opts.breaker);
    this.escalations = new EscalationStore(deps);
    this.budgets = new BudgetLedger(deps);
    this.rates = new RateLimiter(deps);
    this.tools = new ToolLedger(deps);
    this.toolCalls = new ToolCallCounter(deps);
    this.redrives = new RedriveLog(deps);
    this.audit = new AuditTrail(deps);
  }

  /** Connects and waits until Redis answers; rejects naming the URL after ~10 s. */
  static async connect(url: string, opts: StateStoreOptions = {}): Promise<StateStore> {
    // Validate options before opening a connection that a bad option would leak.
    new KeySpace(opts.keyPrefix);
    if (opts.dedupeTtlSeconds !== undefined && (!Number.isSafeInteger(opts.dedupeTtlSeconds) || opts.dedupeTtlSeconds <= 0)) {
      throw new RangeError(`dedupeTtlSeconds must be a positive integer, got ${opts.dedupeTtlSeconds}`);
    }
    resolveBreakerPolicy(opts.breaker);
    return new StateStore(await connectClient(url, opts), opts);
  }

  /** True when Redis answers PING within 2 s; for health checks, never throws. */
  async ping(): Promise<boolean> {
    // While reconnecting, a PING would wait in the offline queue; answer at once instead.
    if (this.redis.status !== 'ready') return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), PING_TIMEOUT_MS);
    });
    try {
      return (await Promise.race([this.redis.ping(), timeout])) === 'PONG';
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for pending replies, then closes the connection. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.quit();
    return this.closing;
  }

  private async quit(): Promise<void> {
    if (this.redis.status === 'end') return;
    if (this.redis.status !== 'ready') {
      this.redis.disconnect();
      return;
    }
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}
