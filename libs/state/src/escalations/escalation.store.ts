import {
  type DecisionInput,
  type EscalationChange,
  type EscalationDecision,
  type EscalationRecord,
  type NewEscalation,
  DecisionInput as DecisionInputSchema,
  NewEscalation as NewEscalationSchema,
  decodeEscalation,
  encodeDecision,
  encodeNewEscalation,
  indexMember,
  parseIndexMember,
} from './escalation-record';
import type { StateDeps } from '../state-deps';
import { decideEscalationScript, openEscalationScript, resumeEscalationScript } from './escalation.scripts';

/** Outcome of opening an escalation. */
export interface OpenResult {
  /** True when this call created it; false when it existed (and was left as it was). */
  created: boolean;
  /** The stored record: the existing one when it already existed. */
  record: EscalationRecord;
}

/** An escalation whose deadline has passed without a decision. */
export interface DueEscalation {
  taskId: string;
  escalationId: string;
}

/** Options of listOpen. */
export interface ListOpenOptions {
  /** Most records to return; default 50. */
  limit?: number;
}

const MAX_LIMIT = 1000;

function checkLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_LIMIT}, got ${limit}`);
  }
  return limit;
}

function epochMs(iso: string): number {
  return new Date(iso).getTime();
}

/**
 * Escalations waiting for (or answered by) a human. Life cycle: `open` → `decided` (by a
 * human or the timeout) → `resumed` (the planner acted on the decision). Every change is
 * one atomic script, so of two concurrent decisions exactly one is applied and the other
 * sees it; the planner then resumes the task once, guarded by markResumed. The record
 * keeps the task's hash tag; the tenant and timeout indexes make open and decide
 * single-node only (see the scripts).
 */
export class EscalationStore {
  constructor(private readonly deps: StateDeps) {}

  /**
   * Stores a new escalation in status `open`, makes it the task's current one and indexes
   * it for the tenant's list and the timeout sweep. Idempotent per escalation id: when it
   * exists already nothing changes and the stored record is returned.
   */
  async open(input: NewEscalation): Promise<OpenResult> {
    const e = NewEscalationSchema.parse(input);
    const { redis, keys } = this.deps;
    const key = keys.escalation(e.taskId, e.escalationId);
    const { applied, hash } = await openEscalationScript.run(redis, {
      escalationKey: key,
      currentKey: keys.currentEscalation(e.taskId),
      tenantOpenKey: keys.tenantOpenEscalations(e.tenantId),
      timeoutsKey: keys.escalationTimeouts(),
      opKey: keys.taskOp(e.taskId, this.deps.newOpId()),
      opTtlSeconds: this.deps.opTtlSeconds,
      escalationId: e.escalationId,
      member: indexMember(e.taskId, e.escalationId),
      createdAtMs: epochMs(e.createdAt),
      expiresAtMs: epochMs(e.expiresAt),
      fields: encodeNewEscalation(e),
    });
    const record = decodeEscalation(key, hash);
    if (!record) throw new Error(`escalation ${key} vanished while it was opened`);
    return { created: applied, record };
  }

  /**
   * Records the decision when the escalation is open (status → `decided`, removed from the
   * open and timeout indexes, added to the unpublished decisions until markPublished). Otherwise not applied, with the stored record (and its
   * earlier decision), or null when there is no such escalation. Does not check the action
   * against `allowed`: the gateway does, and the timeout applies its own.
   */
  async decide(taskId: string, escalationId: string, decision: DecisionInput): Promise<EscalationChange> {
    const stored: EscalationDecision = { ...DecisionInputSchema.parse(decision), decidedAt: this.deps.now().toISOString() };
    const { redis, keys } = this.deps;
    const key = keys.escalation(taskId, escalationId);
    // The tenant never changes once written, so reading it before the script is safe; the script needs its index key.
    const tenantId = await redis.hget(key, 'tenantId');
    if (tenantId === null) return { applied: false, record: null };
    const { applied, hash } = await decideEscalationScript.run(redis, {
      escalationKey: key,
      tenantOpenKey: keys.tenantOpenEscalations(tenantId),
      timeoutsKey: keys.escalationTimeouts(),
      opKey: keys.taskOp(taskId, this.deps.newOpId()),
      unpublishedKey: keys.unpublishedDecisions(),
      opTtlSeconds: this.deps.opTtlSeconds,
      member: indexMember(taskId, escalationId),
      decision: encodeDecision(stored),
      nowMs: this.deps.now().getTime(),
    });
    return { applied, record: decodeEscalation(key, hash) };
  }

  /**
   * Marks a decided escalation as acted on (status → `resumed`), and takes its decision out
   * of the unpublished ones (it was evidently published). Not applied when it is
   * still open, already resumed, or missing; so of two planners handling the same decision
   * only the one whose call is applied goes on.
   */
  async markResumed(taskId: string, escalationId: string): Promise<EscalationChange> {
    const { redis, keys } = this.deps;
    const key = keys.escalation(taskId, escalationId);
    const { applied, hash } = await resumeEscalationScript.run(redis, {
      escalationKey: key,
      opKey: keys.taskOp(taskId, this.deps.newOpId()),
      unpublishedKey: keys.unpublishedDecisions(),
      opTtlSeconds: this.deps.opTtlSeconds,
      at: this.deps.now().toISOString(),
      member: indexMember(taskId, escalationId),
    });
    return { applied, record: decodeEscalation(key, hash) };
  }

  /** Takes a decision out of the unpublished ones once its `task.decision` is published. Idempotent. */
  async markPublished(taskId: string, escalationId: string): Promise<void> {
    await this.deps.redis.zrem(this.deps.keys.unpublishedDecisions(), indexMember(taskId, escalationId));
  }

  /** Up to `limit` decisions made at or before `cutoffMs` whose `task.decision` is not known to be published, oldest first. */
  async unpublishedDecisions(cutoffMs: number, limit = 100): Promise<DueEscalation[]> {
    const members = await this.deps.redis.zrangebyscore(this.deps.keys.unpublishedDecisions(), '-inf', cutoffMs, 'LIMIT', 0, checkLimit(limit));
    return members.map(parseIndexMember);
  }

  /** One escalation of the task, or its current (latest opened) one; null when there is none. */
  async get(taskId: string, escalationId?: string): Promise<EscalationRecord | null> {
    const { redis, keys } = this.deps;
    const id = escalationId ?? (await redis.get(keys.currentEscalation(taskId)));
    if (id === null) return null;
    const key = keys.escalation(taskId, id);
    return decodeEscalation(key, await redis.hgetall(key));
  }

  /** The tenant's open escalations, oldest first. */
  async listOpen(tenantId: string, opts: ListOpenOptions = {}): Promise<EscalationRecord[]> {
    const { redis, keys } = this.deps;
    const limit = checkLimit(opts.limit ?? 50);
    const members = await redis.zrange(keys.tenantOpenEscalations(tenantId), 0, limit - 1);
    if (members.length === 0) return [];
    const refs = members.map(parseIndexMember);
    const pipeline = redis.pipeline();
    for (const r of refs) pipeline.hgetall(keys.escalation(r.taskId, r.escalationId));
    const replies = (await pipeline.exec()) ?? [];
    const out: EscalationRecord[] = [];
    for (const [i, ref] of refs.entries()) {
      const [err, hash] = replies[i] ?? [null, {}];
      if (err) throw err;
      const record = decodeEscalation(keys.escalation(ref.taskId, ref.escalationId), hash as Record<string, string>);
      // The index and the record change in one script; the filter only guards against a record deleted by hand.
      if (record?.status === 'open') out.push(record);
    }
    return out;
  }

  /** Up to `limit` open escalations whose expiry is at or before `nowMs`, earliest first. */
  async dueTimeouts(nowMs: number, limit = 100): Promise<DueEscalation[]> {
    const members = await this.deps.redis.zrangebyscore(this.deps.keys.escalationTimeouts(), '-inf', nowMs, 'LIMIT', 0, checkLimit(limit));
    return members.map(parseIndexMember);
  }
}
