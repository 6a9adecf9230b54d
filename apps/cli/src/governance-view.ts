import { z } from 'zod';

/** One audit entry as the gateway returns it. */
export const AuditEntryView = z.object({
  eventId: z.string(),
  at: z.string(),
  category: z.string(),
  actor: z.string(),
  decision: z.string(),
  reason: z.string(),
  subject: z.string().optional(),
  traceId: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

/** `GET /v1/tasks/:id/audit`. */
export const AuditView = z.object({ taskId: z.string(), entries: z.array(AuditEntryView) });
export type AuditView = z.infer<typeof AuditView>;

/** One budget as `GET /v1/spend` reports it. */
export const BudgetView = z.object({
  scope: z.string(),
  limitMicros: z.number().nullable(),
  spentMicros: z.number(),
  reservedMicros: z.number(),
});

/** `GET /v1/spend`. */
export const SpendView = z.object({
  tenantId: z.string(),
  day: z.string(),
  totalMicros: z.number(),
  dayMicros: z.number(),
  byModel: z.record(z.string(), z.number()),
  budgets: z.array(BudgetView).default([]),
  task: z.object({ taskId: z.string(), spentMicros: z.number() }).optional(),
});
export type SpendView = z.infer<typeof SpendView>;
