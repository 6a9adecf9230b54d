/** Prefix of every key Baton writes; tests pass their own to stay apart from real data. */
export const DEFAULT_KEY_PREFIX = 'baton:';

/**
 * Characters that would break a key's Redis Cluster hash tag (`{...}`) or make the key
 * ambiguous when read back in `redis-cli`.
 */
const UNSAFE_ID = /[{}\s]/;

function checkId(kind: string, id: string): string {
  if (id.length === 0 || id.length > 256 || UNSAFE_ID.test(id)) {
    throw new RangeError(`${kind} must be 1 to 256 characters without braces or whitespace, got ${JSON.stringify(id)}`);
  }
  return id;
}

/**
 * Names every key the state lib uses. All keys of one task share the hash tag
 * `{<taskId>}` so one Lua script may touch them together on Redis Cluster. Tenant keys
 * carry the tenant's own tag, so a script that touches both a task and its tenant is
 * single-node only (see SpendLedger).
 */
export class KeySpace {
  constructor(readonly prefix: string = DEFAULT_KEY_PREFIX) {
    if (UNSAFE_ID.test(prefix)) {
      // A brace in the prefix would become the hash tag of every key and pin them all to one slot.
      throw new RangeError(`key prefix must not contain braces or whitespace, got ${JSON.stringify(prefix)}`);
    }
  }

  /** Hash holding the task record. */
  /** Sorted set of running tasks by deadline (ms since epoch); one per deployment. */
  deadlines(): string {
    return `${this.prefix}deadlines`;
  }

  task(taskId: string): string {
    return `${this.prefix}{${checkId('taskId', taskId)}}:task`;
  }

  /**
   * Marker of one applied mutation, keyed by the caller's operation id; lets a command
   * that ioredis re-sends after a reconnect answer exactly as the first run did.
   */
  taskOp(taskId: string, opId: string): string {
    return `${this.prefix}{${checkId('taskId', taskId)}}:op:${checkId('opId', opId)}`;
  }

  /** The `task.submitted` event the gateway stored with the task, kept until it is published (JSON). */
  taskSubmission(taskId: string): string {
    return `${this.prefix}{${checkId('taskId', taskId)}}:submission`;
  }

  /** Sorted set of tasks the gateway created but has not yet published, by creation time (ms); one per deployment. */
  unpublishedSubmissions(): string {
    return `${this.prefix}submissions:unpublished`;
  }

  /** Hash of named JSON values steps share (step spec, attempt outcomes). */
  taskContext(taskId: string): string {
    return `${this.prefix}{${checkId('taskId', taskId)}}:ctx`;
  }

  /** Lease on one unit of the task's work (a step attempt), so two consumers never run it at once. */
  workLease(taskId: string, workId: string): string {
    return `${this.prefix}{${checkId('taskId', taskId)}}:lease:${checkId('workId', workId)}`;
  }

  /** Integer micro-dollars spent on the task. */
  taskSpend(taskId: string): string {
    return `${this.prefix}{${checkId('taskId', taskId)}}:spend`;
  }

  /** Hash usageEventId → operation id of every usage event charged to the task. */
  taskUsageEvents(taskId: string): string {
    return `${this.prefix}{${checkId('taskId', taskId)}}:usage`;
  }

  /** Integer micro-dollars spent by the tenant, all time. */
  tenantSpend(tenantId: string): string {
    return `${this.prefix}tenant:{${checkId('tenantId', tenantId)}}:spend`;
  }

  /** Hash model → micro-dollars spent by the tenant on that model. */
  tenantSpendByModel(tenantId: string): string {
    return `${this.prefix}tenant:{${checkId('tenantId', tenantId)}}:spend:model`;
  }

  /** Hash UTC day (yyyy-mm-dd) → micro-dollars spent by the tenant that day. */
  tenantSpendByDay(tenantId: string): string {
    return `${this.prefix}tenant:{${checkId('tenantId', tenantId)}}:spend:day`;
  }

  /** Claim of a client-supplied idempotency key; value is the task id it was claimed for. */
  idempotency(tenantId: string, key: string): string {
    if (key.length === 0 || key.length > 512) {
      throw new RangeError(`idempotency key must be 1 to 512 characters, got ${key.length}`);
    }
    // The client's key is free text; encoding it keeps stray braces from forming a hash tag.
    return `${this.prefix}idem:{${checkId('tenantId', tenantId)}}:${encodeURIComponent(key)}`;
  }

  /** Hash holding one model's circuit breaker (failures, open-until, probe lease); shared by every replica. */
  modelBreaker(model: string): string {
    return `${this.prefix}breaker:{${checkId('model', model)}}`;
  }

  /**
   * Hash of one budget scope (see BudgetLedger): `limit` (latest limit a reservation
   * checked, micro-dollars), `spent`, `reserved` (integer micro-dollars) and `low` (set once
   * the scope's low-watermark crossing was reported). Tagged by the scope id.
   */
  budgetScope(scopeId: string): string {
    return `${this.prefix}budget:{${checkId('scopeId', scopeId)}}`;
  }

  /** Hash reservationId → micro-dollars the reservation holds in the scope. */
  budgetScopeHolds(scopeId: string): string {
    return `${this.prefix}budget:{${checkId('scopeId', scopeId)}}:holds`;
  }

  /** Sorted set of the scope's holds by expiry (ms since epoch); members are reservation ids. */
  budgetScopeExpiries(scopeId: string): string {
    return `${this.prefix}budget:{${checkId('scopeId', scopeId)}}:expiries`;
  }

  /** Hash of one budget reservation: its outcome, what it holds, and how it ended (settled, released). */
  budgetReservation(reservationId: string): string {
    return `${this.prefix}budget:res:{${checkId('reservationId', reservationId)}}`;
  }

  /** Theoretical arrival time (ms since epoch, decimal) of one rate-limit scope (see RateLimiter). */
  rateScope(scopeId: string): string {
    return `${this.prefix}rate:{${checkId('scopeId', scopeId)}}`;
  }

  /** Hash marking an admitted rate-limit take by its op id (scopes, costs, refund). */
  rateOp(opId: string): string {
    return `${this.prefix}rate:op:{${checkId('opId', opId)}}`;
  }

  /** Marker that a consumer group has handled an event. */
  dedupe(group: string, eventId: string): string {
    return `${this.prefix}dedupe:{${checkId('group', group)}}:${checkId('eventId', eventId)}`;
  }

  /** Hash holding one escalation of a task (what the human sees, and the decision). */
  escalation(taskId: string, escalationId: string): string {
    return `${this.prefix}{${checkId('taskId', taskId)}}:escalation:${checkId('escalationId', escalationId)}`;
  }

  /** Id of the task's current (latest opened) escalation. */
  currentEscalation(taskId: string): string {
    return `${this.prefix}{${checkId('taskId', taskId)}}:escalation`;
  }

  /** Sorted set of the tenant's open escalations by creation time (ms); members `<taskId> <escalationId>`. */
  tenantOpenEscalations(tenantId: string): string {
    return `${this.prefix}tenant:{${checkId('tenantId', tenantId)}}:escalations:open`;
  }

  /** Sorted set of open escalations by expiry (ms since epoch); one per deployment, members as above. */
  escalationTimeouts(): string {
    return `${this.prefix}escalations:timeouts`;
  }

  /**
   * Sorted set of decided escalations whose `task.decision` is not known to be published, by
   * decision time (ms); one per deployment, members as above. The decision's outbox.
   */
  unpublishedDecisions(): string {
    return `${this.prefix}escalations:decided`;
  }
}

/** UTC calendar day of an instant as `yyyy-mm-dd`, the bucket of per-day spend. */
export function utcDay(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new RangeError('invalid date');
  return at.toISOString().slice(0, 10);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Checks a `yyyy-mm-dd` day string as used by `tenantByDay`. */
export function checkDay(day: string): string {
  const at = new Date(`${day}T00:00:00Z`);
  // The round trip rejects impossible dates such as 2024-02-30, which Date rolls over.
  if (!DAY.test(day) || Number.isNaN(at.getTime()) || utcDay(at) !== day) {
    throw new RangeError(`day must be a UTC date as yyyy-mm-dd, got ${JSON.stringify(day)}`);
  }
  return day;
}
