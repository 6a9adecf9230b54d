import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AGENT_ROLES } from './common';
import { Envelope } from './envelope';
import { EVENT_DEFINITIONS, type BatonEvent, type BatonEventType, type EventOfType } from './events';

type AnyDefinition = (typeof EVENT_DEFINITIONS)[number];

const byKey = new Map<string, AnyDefinition>(EVENT_DEFINITIONS.map((d) => [`${d.type}@${d.version}`, d]));
const byType = new Map<string, AnyDefinition>(EVENT_DEFINITIONS.map((d) => [d.type, d]));

/** Why a raw value is not a valid Baton event. */
export class EventParseError extends Error {
  constructor(
    message: string,
    /** Zod issues, when schema validation failed. */
    readonly issues: z.core.$ZodIssue[] = [],
  ) {
    super(message);
    this.name = 'EventParseError';
  }
}

/** Formats zod issues as `path: message; ...` for error messages and dead letters. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

/** Parses any value as a Baton event: envelope first, then the payload of its type and version. */
export function parseEvent(raw: unknown): BatonEvent {
  const envelope = Envelope.safeParse(raw);
  if (!envelope.success) {
    throw new EventParseError(`invalid envelope: ${describeIssues(envelope.error.issues)}`, envelope.error.issues);
  }
  const def = byKey.get(`${envelope.data.type}@${envelope.data.version}`);
  if (!def) {
    throw new EventParseError(`unknown event type ${envelope.data.type} v${envelope.data.version}`);
  }
  const parsed = (def.schema as z.ZodType).safeParse(raw);
  if (!parsed.success) {
    throw new EventParseError(
      `invalid ${envelope.data.type} v${envelope.data.version}: ${describeIssues(parsed.error.issues)}`,
      parsed.error.issues,
    );
  }
  return parsed.data as BatonEvent;
}

/** Identity fields a new event takes from its task and its cause. */
export interface EventOrigin {
  tenantId: string;
  taskId: string;
  /** Event id of the cause, or null for the first event of a task. */
  causationId: string | null;
  /**
   * Fixed event id, for events derived from a cause: a handler that runs again after a
   * crash then republishes the same id, and consumers drop the duplicate.
   */
  eventId?: string;
}

/**
 * A deterministic event id (UUID v5 layout, SHA-1 of cause and label) for the event that
 * `causationId` gives rise to under `label`.
 */
export function deriveEventId(causationId: string, label: string): string {
  const h = createHash('sha1').update(`${causationId}:${label}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Creates and validates a new event of the current version of `type`. Throws on invalid data. */
export function createEvent<T extends BatonEventType>(
  type: T,
  origin: EventOrigin,
  data: z.input<Extract<AnyDefinition, { type: T }>['data']>,
): EventOfType<T> {
  const def = byType.get(type);
  if (!def) throw new EventParseError(`unknown event type ${type}`);
  return (def.schema as z.ZodType).parse({
    eventId: origin.eventId ?? randomUUID(),
    type,
    version: def.version,
    tenantId: origin.tenantId,
    taskId: origin.taskId,
    causationId: origin.causationId,
    occurredAt: new Date().toISOString(),
    data,
  }) as EventOfType<T>;
}

/**
 * Origin fields for an event caused by `cause`. With a `label`, the new event's id is
 * derived from the cause, so handling the cause twice yields the same event id.
 */
export function causedBy(cause: Pick<BatonEvent, 'tenantId' | 'taskId' | 'eventId'>, label?: string): EventOrigin {
  return {
    tenantId: cause.tenantId,
    taskId: cause.taskId,
    causationId: cause.eventId,
    ...(label ? { eventId: deriveEventId(cause.eventId, label) } : {}),
  };
}

/**
 * Origin of the `task.decision` on escalation `escalationId` (a UUID). Whoever publishes
 * it (the gateway for a human, the planner for a timeout) derives the same event id, so
 * a decision published twice is handled once.
 */
export function decisionOrigin(escalation: { tenantId: string; taskId: string; escalationId: string }): EventOrigin {
  // Envelope ids are UUIDs; an escalation id of another shape stands in through a derived one.
  const causationId = UUID.test(escalation.escalationId) ? escalation.escalationId : deriveEventId(escalation.taskId, escalation.escalationId);
  return { tenantId: escalation.tenantId, taskId: escalation.taskId, causationId, eventId: deriveEventId(causationId, 'decision') };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every topic events of `type` are published on, so every topic a consumer of `type` reads:
 * one, or one per role for the role-keyed step topics. Throws for an unknown type.
 */
export function topicsOfType(type: string): string[] {
  const topics = new Set<string>();
  for (const def of EVENT_DEFINITIONS) {
    if (def.type !== type) continue;
    const topic = def.topic as (data: unknown) => string;
    // A fixed topic is a function of no argument; a payload-keyed one picks it by role (the only such topics).
    if (topic.length === 0) topics.add(topic(undefined));
    else for (const role of AGENT_ROLES) topics.add(topic({ role }));
  }
  if (topics.size === 0) throw new EventParseError(`unknown event type ${type}`);
  return [...topics];
}

/** Whether `type` names a Baton event type. */
export function isEventType(type: unknown): type is BatonEventType {
  return typeof type === 'string' && byType.has(type);
}

/** The topic an event is published on. */
export function topicOf(event: BatonEvent): string {
  const def = byKey.get(`${event.type}@${event.version}`);
  if (!def) throw new EventParseError(`unknown event type ${event.type} v${event.version}`);
  return (def.topic as (d: unknown) => string)(event.data);
}

/** JSON Schemas of every event version, keyed `type@version`. */
export function eventJsonSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of EVENT_DEFINITIONS) {
    out[`${def.type}@${def.version}`] = z.toJSONSchema(def.schema as z.ZodType, { io: 'input' });
  }
  return out;
}
