import type { DecisionAction, ErrorInfo, ReviewBundle, StopReason } from '@baton/contracts';
import type { EscalationDecision, EscalationRecord, EscalationStatus } from '@baton/state';

/** One line of `GET /v1/escalations`: enough to pick what to review. */
export interface EscalationSummary {
  taskId: string;
  escalationId: string;
  taskType: string;
  stopReason?: StopReason;
  /** The question put to the human. */
  question: string;
  allowed: DecisionAction[];
  createdAt: string;
  expiresAt: string;
}

/** What `GET /v1/escalations/:taskId` answers: the escalation with its bundle and decision. */
export interface EscalationView extends EscalationSummary {
  status: EscalationStatus;
  reason: ErrorInfo;
  bundle: ReviewBundle;
  /** What a timeout does: `fail` (reject) or `approve`. */
  onTimeout: 'fail' | 'approve';
  decision?: EscalationDecision;
  resumedAt?: string;
}

/** The escalation part of `GET /v1/tasks/:id` for an escalated task. */
export interface TaskEscalationInfo {
  escalationId: string;
  question: string;
  allowed: DecisionAction[];
  expiresAt: string;
}

/** Shapes an escalation for the list. */
export function toEscalationSummary(r: EscalationRecord): EscalationSummary {
  return {
    taskId: r.taskId,
    escalationId: r.escalationId,
    taskType: r.taskType,
    ...(r.stopReason ? { stopReason: r.stopReason } : {}),
    question: r.bundle.question,
    allowed: r.allowed,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
  };
}

/** Shapes an escalation in full; the tenant id is left out (the caller is the tenant). */
export function toEscalationView(r: EscalationRecord): EscalationView {
  return {
    ...toEscalationSummary(r),
    status: r.status,
    reason: r.reason,
    bundle: r.bundle,
    onTimeout: r.onTimeout,
    ...(r.decision ? { decision: r.decision } : {}),
    ...(r.resumedAt ? { resumedAt: r.resumedAt } : {}),
  };
}

/** The escalation part of the task view. */
export function toTaskEscalationInfo(r: EscalationRecord): TaskEscalationInfo {
  return { escalationId: r.escalationId, question: r.bundle.question, allowed: r.allowed, expiresAt: r.expiresAt };
}
