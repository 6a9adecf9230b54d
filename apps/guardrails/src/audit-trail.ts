import type { AuditRecorded } from '@baton/contracts';
import type { AuditTrailEntry } from '@baton/state';

/** The entry of the audit trail's index that an audit event files under its task. */
export function auditTrailEntry(event: AuditRecorded): AuditTrailEntry {
  const d = event.data;
  return {
    eventId: event.eventId,
    at: event.occurredAt,
    tenantId: event.tenantId,
    taskId: event.taskId,
    category: d.category,
    actor: d.actor,
    decision: d.decision,
    reason: d.reason,
    ...(d.subject !== undefined ? { subject: d.subject } : {}),
    ...(d.traceId !== undefined ? { traceId: d.traceId } : {}),
    ...(d.details !== undefined ? { details: d.details } : {}),
  };
}
