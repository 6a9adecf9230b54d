import { DecisionAction, ErrorInfo, ReviewBundle } from '@baton/contracts';
import { z } from 'zod';

/*
 * The gateway's escalation answers as the CLI reads them. Objects are loose so a newer
 * gateway that adds fields still works with this CLI.
 */

/** A recorded decision. */
export const DecisionView = z.looseObject({
  action: DecisionAction,
  /** Replacement output, for `edit`. */
  output: z.unknown().optional(),
  /** The human's answer, for `answer`. */
  answer: z.string().optional(),
  /** Who decided (`timeout` for the escalation timeout). */
  decidedBy: z.string(),
  comment: z.string().optional(),
  /** ISO 8601 time of the decision. */
  decidedAt: z.string(),
});
export type DecisionView = z.infer<typeof DecisionView>;

/** One open escalation, as `GET /v1/escalations` lists it. */
export const EscalationSummary = z.looseObject({
  taskId: z.string().min(1),
  escalationId: z.string().min(1),
  taskType: z.string(),
  /** The planner's stop reason; any string, so a newer one still reads. */
  stopReason: z.string().optional(),
  /** The question put to the human. */
  question: z.string(),
  allowed: z.array(DecisionAction),
  createdAt: z.string(),
  /** ISO 8601 time the escalation times out. */
  expiresAt: z.string(),
});
export type EscalationSummary = z.infer<typeof EscalationSummary>;

/** The gateway's answer to `GET /v1/escalations`. */
export const EscalationList = z.looseObject({ escalations: z.array(EscalationSummary) });
export type EscalationList = z.infer<typeof EscalationList>;

/** The gateway's answer to `GET /v1/escalations/:taskId`. */
export const EscalationView = EscalationSummary.extend({
  /** `open`, `decided` or `resumed`. */
  status: z.string(),
  reason: ErrorInfo,
  bundle: ReviewBundle.loose(),
  /** What a timeout does. */
  onTimeout: z.string(),
  decision: DecisionView.optional(),
  resumedAt: z.string().optional(),
});
export type EscalationView = z.infer<typeof EscalationView>;

/** The gateway's answer to `POST /v1/escalations/:taskId/decision` (202, or 200 for a repeat). */
export const DecisionAnswer = z.looseObject({
  status: z.literal('accepted'),
  /** True when the same decision had been recorded before (it was sent again). */
  duplicate: z.boolean(),
  taskId: z.string(),
  escalationId: z.string(),
  decision: DecisionView,
});
export type DecisionAnswer = z.infer<typeof DecisionAnswer>;

/** Body of `POST /v1/escalations/:taskId/decision`. */
export interface DecisionBody {
  escalationId?: string;
  action: DecisionAction;
  output?: unknown;
  answer?: string;
  comment?: string;
}
