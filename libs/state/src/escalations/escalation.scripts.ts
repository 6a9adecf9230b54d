import { luaScript } from '../lua/lua-script';
import { pairsToHash } from './escalation-record';

/*
 * Escalations (see EscalationStore). The record hash carries the task's hash tag; the
 * tenant's open index and the deployment-wide timeout index do not, so like the spend
 * script these are single-node only: on Redis Cluster they fail with CROSSSLOT and would
 * have to update the indexes in a second, idempotent step. Each answers whether it applied
 * and the record after the call (HGETALL, read with decodeEscalation), and remembers its op
 * id, so a re-sent run answers applied as the first did.
 */

/** Applied or not, and the escalation hash after the call (empty when there is none). */
export interface EscalationReply {
  applied: boolean;
  hash: Record<string, string>;
}

const reply = ([applied, pairs]: [number, string[]]): EscalationReply => ({ applied: applied === 1, hash: pairsToHash(pairs) });

/** Opening an escalation. */
export interface OpenEscalationInput {
  /** KeySpace.escalation. */
  escalationKey: string;
  /** KeySpace.currentEscalation. */
  currentKey: string;
  /** KeySpace.tenantOpenEscalations. */
  tenantOpenKey: string;
  /** KeySpace.escalationTimeouts. */
  timeoutsKey: string;
  /** KeySpace.taskOp of this call's op id. */
  opKey: string;
  opTtlSeconds: number;
  escalationId: string;
  /** indexMember of the escalation. */
  member: string;
  createdAtMs: number;
  expiresAtMs: number;
  /** Hash field/value pairs of the record (encodeNewEscalation); `status` is set by the script. */
  fields: readonly string[];
}

/**
 * Stores the escalation as open, makes it the task's current one and indexes it. Applied
 * only when it did not exist; an existing one is left exactly as it is.
 */
export const openEscalationScript = luaScript({
  command: 'batonOpenEscalation',
  numberOfKeys: 5,
  lua: `
if redis.call('EXISTS', KEYS[5]) == 1 then return {1, redis.call('HGETALL', KEYS[1])} end
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, redis.call('HGETALL', KEYS[1])} end
redis.call('HSET', KEYS[1], 'status', 'open', unpack(ARGV, 6))
redis.call('SET', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[3])
redis.call('SET', KEYS[5], '1', 'EX', ARGV[1])
return {1, redis.call('HGETALL', KEYS[1])}
`,
  call: (i: OpenEscalationInput) => ({
    keys: [i.escalationKey, i.currentKey, i.tenantOpenKey, i.timeoutsKey, i.opKey],
    argv: [i.opTtlSeconds, i.escalationId, i.member, i.createdAtMs, i.expiresAtMs, ...i.fields],
  }),
  reply,
});

/** Recording a decision. */
export interface DecideEscalationInput {
  /** KeySpace.escalation. */
  escalationKey: string;
  /** KeySpace.tenantOpenEscalations. */
  tenantOpenKey: string;
  /** KeySpace.escalationTimeouts. */
  timeoutsKey: string;
  /** KeySpace.taskOp of this call's op id. */
  opKey: string;
  /** KeySpace.unpublishedDecisions. */
  unpublishedKey: string;
  opTtlSeconds: number;
  /** indexMember of the escalation. */
  member: string;
  /** The stored decision (encodeDecision). */
  decision: string;
  nowMs: number;
}

/**
 * Applied only while the escalation is open: the first decision wins, later ones see it.
 * The decision enters the outbox in the same step as it leaves the open and timeout indexes,
 * so a decider that dies before publishing `task.decision` leaves it to the gateway's sweep.
 */
export const decideEscalationScript = luaScript({
  command: 'batonDecideEscalation',
  numberOfKeys: 5,
  lua: `
if redis.call('EXISTS', KEYS[4]) == 1 then return {1, redis.call('HGETALL', KEYS[1])} end
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {0, {}} end
if status ~= 'open' then return {0, redis.call('HGETALL', KEYS[1])} end
redis.call('HSET', KEYS[1], 'status', 'decided', 'decision', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[2])
redis.call('SET', KEYS[4], '1', 'EX', ARGV[1])
return {1, redis.call('HGETALL', KEYS[1])}
`,
  call: (i: DecideEscalationInput) => ({
    keys: [i.escalationKey, i.tenantOpenKey, i.timeoutsKey, i.opKey, i.unpublishedKey],
    argv: [i.opTtlSeconds, i.member, i.decision, i.nowMs],
  }),
  reply,
});

/** Marking a decided escalation as acted on. */
export interface ResumeEscalationInput {
  /** KeySpace.escalation. */
  escalationKey: string;
  /** KeySpace.taskOp of this call's op id. */
  opKey: string;
  /** KeySpace.unpublishedDecisions. */
  unpublishedKey: string;
  opTtlSeconds: number;
  /** ISO time of resumedAt. */
  at: string;
  /** indexMember of the escalation. */
  member: string;
}

/**
 * Applied only when the escalation is decided (and not yet resumed). A resumed decision was
 * evidently published: it leaves the outbox whoever published it.
 */
export const resumeEscalationScript = luaScript({
  command: 'batonResumeEscalation',
  numberOfKeys: 3,
  lua: `
if redis.call('EXISTS', KEYS[2]) == 1 then return {1, redis.call('HGETALL', KEYS[1])} end
redis.call('ZREM', KEYS[3], ARGV[3])
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {0, {}} end
if status ~= 'decided' then return {0, redis.call('HGETALL', KEYS[1])} end
redis.call('HSET', KEYS[1], 'status', 'resumed', 'resumedAt', ARGV[2])
redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
return {1, redis.call('HGETALL', KEYS[1])}
`,
  call: (i: ResumeEscalationInput) => ({
    keys: [i.escalationKey, i.opKey, i.unpublishedKey],
    argv: [i.opTtlSeconds, i.at, i.member],
  }),
  reply,
});
