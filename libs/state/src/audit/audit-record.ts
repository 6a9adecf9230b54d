import { z } from 'zod';
import { IsoText } from '../records/state-record';

/** Layout version of an audit trail entry (JSON). Not stored: see records/state-record.ts. Fixture: audit-entry@1.json. */
export const AUDIT_ENTRY_VERSION = 1;

/** One entry (AuditTrailEntry), as JSON member of the sorted set `audit:<taskId>`, scored by its time. */
export const AuditEntryJson = z.strictObject({
  /** Id of the `audit.recorded` event; a redelivery is the same member. */
  eventId: z.string().min(1),
  at: IsoText,
  tenantId: z.string().min(1),
  taskId: z.string().min(1),
  category: z.string(),
  actor: z.string(),
  decision: z.string(),
  reason: z.string(),
  subject: z.string().optional(),
  traceId: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEntryJson = z.infer<typeof AuditEntryJson>;
