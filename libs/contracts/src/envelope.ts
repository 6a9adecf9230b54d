import { z } from 'zod';

/** Identifier of a tenant: lowercase letters, digits and dashes. */
export const TenantId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'tenant id must be lowercase letters, digits or dashes');
export type TenantId = z.infer<typeof TenantId>;

/** Identifier of a task: a UUID minted by whoever submits the task. */
export const TaskId = z.string().uuid();
export type TaskId = z.infer<typeof TaskId>;

/**
 * Fields every event carries. The payload lives in `data`; a consumer dedupes on
 * `eventId` and orders by the Kafka key, which is always the task id.
 */
export const EnvelopeFields = {
  /** Unique id of this event; consumers handle each id once. */
  eventId: z.string().uuid(),
  /** Dotted event type, e.g. `task.submitted`. */
  type: z.string(),
  /** Version of the payload schema for this type. */
  version: z.number().int().positive(),
  /** Tenant the task belongs to. */
  tenantId: TenantId,
  /** Task this event is about; also the Kafka message key. */
  taskId: TaskId,
  /** Event id that caused this one; null for the first event of a task. */
  causationId: z.string().uuid().nullable(),
  /** When the event was created (ISO 8601, UTC). */
  occurredAt: z.string().datetime(),
};

/** The envelope with an unparsed payload: what a consumer can read before it knows the type. */
export const Envelope = z.object({ ...EnvelopeFields, data: z.unknown() });
export type Envelope = z.infer<typeof Envelope>;
