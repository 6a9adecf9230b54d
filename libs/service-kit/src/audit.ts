import { causedBy, createEvent, type AuditRecorded, type BatonEvent } from '@baton/contracts';
import { currentTraceId } from '@baton/telemetry';

/** What an audit entry says; the envelope and trace id are filled in. */
export type AuditEntry = Omit<AuditRecorded['data'], 'traceId'>;

/**
 * The `audit.recorded` event for a decision taken while handling `cause`. Its id derives
 * from the cause and `label`, so a handler that runs again publishes the same entry and
 * the trail keeps one copy. The trace id is the current span's, so an auditor can open
 * the spans of the decision.
 */
export function auditEvent(cause: Pick<BatonEvent, 'tenantId' | 'taskId' | 'eventId'>, label: string, entry: AuditEntry): AuditRecorded {
  const traceId = currentTraceId();
  return createEvent('audit.recorded', causedBy(cause, `audit:${label}`), { ...entry, ...(traceId ? { traceId } : {}) });
}
