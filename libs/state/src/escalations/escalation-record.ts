import { z } from 'zod';
import { DecisionAction, ErrorInfo, ReviewBundle, StopReason, TaskDecision, TaskEscalated, TenantId, describeIssues } from '@baton/contracts';
import { CorruptRecordError, IsoText, jsonText } from '../records/state-record';

/** Where an escalation is: waiting for a human, decided, or decided and acted on by the planner. */
export const EscalationStatus = z.enum(['open', 'decided', 'resumed']);
export type EscalationStatus = z.infer<typeof EscalationStatus>;

/** A decision as the caller gives it: the `task.decision` payload without the escalation id. */
export const DecisionInput = TaskDecision.data.omit({ escalationId: true });
export type DecisionInput = z.infer<typeof DecisionInput>;

/** A stored decision: what was decided, by whom, and when. */
export const EscalationDecision = DecisionInput.extend({
  /** When the decision was recorded (ISO 8601, clock of the service that recorded it). */
  decidedAt: z.string().datetime(),
});
export type EscalationDecision = z.infer<typeof EscalationDecision>;

/** What the planner stores when it escalates a task; mirrors the `task.escalated` payload. */
export const NewEscalation = z.object({
  /** Id of the escalation; a decision names it. Unique within the task. */
  escalationId: z.string().min(1),
  /** Task waiting for the decision. */
  taskId: z.string().min(1),
  /** Tenant that owns the task; only it sees the escalation. */
  tenantId: TenantId,
  /** Dotted task type, for the reviewer's list. */
  taskType: z.string().min(1),
  /** The planner's typed stop reason. */
  stopReason: StopReason.optional(),
  /** Why the task was escalated. */
  reason: ErrorInfo,
  /** Decisions that make sense for this escalation. */
  allowed: z.array(DecisionAction).min(1),
  /** Everything a reviewer needs. */
  bundle: ReviewBundle,
  /** When the escalation was opened (ISO 8601). */
  createdAt: z.string().datetime(),
  /** When it times out (ISO 8601). */
  expiresAt: z.string().datetime(),
  /** What a timeout does. */
  onTimeout: TaskEscalated.data.shape.onTimeout,
});
export type NewEscalation = z.infer<typeof NewEscalation>;

/** An escalation as kept in Redis. */
export const EscalationRecord = NewEscalation.extend({
  /** Where it is. */
  status: EscalationStatus,
  /** The decision, once there is one. */
  decision: EscalationDecision.optional(),
  /** When the planner acted on the decision (ISO 8601). */
  resumedAt: z.string().datetime().optional(),
});
export type EscalationRecord = z.infer<typeof EscalationRecord>;

/**
 * Layout version of the escalation hash (KeySpace.escalation). Not stored: see
 * records/state-record.ts. Fixtures: escalation@1*.json.
 */
export const ESCALATION_RECORD_VERSION = 1;

/**
 * The escalation hash as the escalation scripts write it: the fields of EscalationRecord as
 * text, `reason`, `allowed`, `bundle` and `decision` as JSON. Version 1.
 */
export const EscalationHash = z.strictObject({
  escalationId: NewEscalation.shape.escalationId,
  taskId: NewEscalation.shape.taskId,
  tenantId: NewEscalation.shape.tenantId,
  taskType: NewEscalation.shape.taskType,
  stopReason: NewEscalation.shape.stopReason,
  reason: jsonText(NewEscalation.shape.reason),
  allowed: jsonText(NewEscalation.shape.allowed),
  bundle: jsonText(NewEscalation.shape.bundle),
  createdAt: IsoText,
  expiresAt: IsoText,
  onTimeout: NewEscalation.shape.onTimeout,
  status: EscalationStatus,
  decision: jsonText(EscalationDecision).optional(),
  resumedAt: IsoText.optional(),
});
export type EscalationHash = z.infer<typeof EscalationHash>;

/** Outcome of a change to an escalation. */
export interface EscalationChange {
  /** True when this call made the change. */
  applied: boolean;
  /** The record after the call; null when there is no such escalation. */
  record: EscalationRecord | null;
}

/** Fields stored as JSON text; the others are plain strings. */
const JSON_FIELDS = ['reason', 'allowed', 'bundle', 'decision'] as const;

function json(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  // JSON.stringify returns undefined for functions and symbols; storing "undefined" would corrupt the record.
  if (text === undefined) throw new TypeError(`${what} must be JSON-serializable`);
  return text;
}

/** Flattens a new escalation into hash field/value pairs for the open script. */
export function encodeNewEscalation(e: NewEscalation): string[] {
  const out = [
    'escalationId', e.escalationId,
    'taskId', e.taskId,
    'tenantId', e.tenantId,
    'taskType', e.taskType,
    'reason', json(e.reason, 'reason'),
    'allowed', json(e.allowed, 'allowed'),
    'bundle', json(e.bundle, 'bundle'),
    'createdAt', e.createdAt,
    'expiresAt', e.expiresAt,
    'onTimeout', e.onTimeout,
  ];
  if (e.stopReason !== undefined) out.push('stopReason', e.stopReason);
  return out;
}

/** The JSON text of a stored decision. */
export function encodeDecision(d: EscalationDecision): string {
  const parsed = EscalationDecision.parse(d);
  // An output that serializes to nothing would vanish from the stored JSON, turning an edit into "no output".
  if (parsed.output !== undefined) json(parsed.output, 'output');
  return json(parsed, 'decision');
}

/** Turns a flat HGETALL reply (`[field, value, ...]`) into an object. */
export function pairsToHash(pairs: readonly string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const [field, value] = [pairs[i], pairs[i + 1]];
    if (field !== undefined && value !== undefined) hash[field] = value;
  }
  return hash;
}

/**
 * Reads an escalation hash back; null for an empty hash (a missing key). Unknown fields
 * are ignored so a newer writer can add fields without breaking older readers.
 */
export function decodeEscalation(key: string, hash: Record<string, string>): EscalationRecord | null {
  if (Object.keys(hash).length === 0) return null;
  const raw: Record<string, unknown> = { ...hash };
  for (const field of JSON_FIELDS) {
    const text = hash[field];
    if (text === undefined) continue;
    try {
      raw[field] = JSON.parse(text) as unknown;
    } catch (err) {
      throw new CorruptRecordError(key, `field ${field} is not JSON (${(err as Error).message})`);
    }
  }
  const parsed = EscalationRecord.safeParse(raw);
  if (!parsed.success) throw new CorruptRecordError(key, describeIssues(parsed.error.issues));
  return parsed.data;
}

/** Index member naming one escalation; ids never hold whitespace (KeySpace refuses it). */
export function indexMember(taskId: string, escalationId: string): string {
  return `${taskId} ${escalationId}`;
}

/** Reverses indexMember. */
export function parseIndexMember(member: string): { taskId: string; escalationId: string } {
  const space = member.indexOf(' ');
  if (space <= 0 || space === member.length - 1) throw new CorruptRecordError(member, 'escalation index member is not "<taskId> <escalationId>"');
  return { taskId: member.slice(0, space), escalationId: member.slice(space + 1) };
}
