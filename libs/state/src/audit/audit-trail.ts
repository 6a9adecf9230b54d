import type { StateDeps } from '../state-deps';

/** One entry of a task's audit trail, as the trail stores and returns it. */
export interface AuditTrailEntry {
  /** Id of the `audit.recorded` event; the trail keeps one copy per id. */
  eventId: string;
  /** When it happened (ISO 8601). */
  at: string;
  tenantId: string;
  taskId: string;
  category: string;
  actor: string;
  decision: string;
  reason: string;
  subject?: string;
  traceId?: string;
  details?: Record<string, unknown>;
}

/** How long a task's trail stays queryable in Redis; the audit topic keeps it far longer. */
export const AUDIT_TRAIL_TTL_SECONDS = 30 * 86_400;

/**
 * A task's audit trail, for the gateway and the CLI: a sorted set per task scored by time.
 * A redelivered entry is the same member (same JSON), so it is stored once. The audit
 * topic (long retention) is the record of truth; this index is what answers queries.
 */
export class AuditTrail {
  constructor(private readonly deps: StateDeps) {}

  private key(taskId: string): string {
    return `${this.deps.keys.prefix}audit:${taskId}`;
  }

  /** Adds an entry (idempotent by event id) and refreshes the trail's TTL. */
  async append(entry: AuditTrailEntry): Promise<void> {
    const key = this.key(entry.taskId);
    const score = Date.parse(entry.at);
    if (!Number.isFinite(score)) throw new RangeError(`audit entry ${entry.eventId}: bad time ${entry.at}`);
    await this.deps.redis.multi().zadd(key, score, JSON.stringify(entry)).expire(key, AUDIT_TRAIL_TTL_SECONDS).exec();
  }

  /** The task's entries, oldest first (entries of the same millisecond in member order). */
  async list(taskId: string): Promise<AuditTrailEntry[]> {
    const raw = await this.deps.redis.zrange(this.key(taskId), 0, -1);
    return raw.map((member) => JSON.parse(member) as AuditTrailEntry);
  }
}
