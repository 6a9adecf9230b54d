import type { AgentRole } from './common';
import { AGENT_ROLES } from './common';

/**
 * Every topic Baton uses. Topics are keyed by task id so one task's events stay in
 * order; each has a dead-letter twin (`<topic>.dlt`).
 */
export const Topics = {
  taskSubmitted: 'baton.task.submitted',
  taskAdmitted: 'baton.task.admitted',
  taskRejected: 'baton.task.rejected',
  taskRouted: 'baton.task.routed',
  outputProposed: 'baton.output.proposed',
  outputApproved: 'baton.output.approved',
  outputBlocked: 'baton.output.blocked',
  stepFailed: 'baton.step.failed',
  llmUsage: 'baton.llm.usage',
  spendRecorded: 'baton.spend.recorded',
  taskCompleted: 'baton.task.completed',
  taskFailed: 'baton.task.failed',
  taskEscalated: 'baton.task.escalated',
  taskDecision: 'baton.task.decision',
  planProposed: 'baton.plan.proposed',
  planRouted: 'baton.plan.routed',
  stepHandoff: 'baton.step.handoff',
  toolProposed: 'baton.tool.proposed',
  toolVerdict: 'baton.tool.verdict',
  budget: 'baton.budget',
  audit: 'baton.audit',
} as const;
export type FixedTopic = (typeof Topics)[keyof typeof Topics];

/** The step topic an agent of `role` consumes. */
export function stepRequestedTopic(role: AgentRole): string {
  return `baton.step.requested.${role}`;
}

/** The dead-letter topic of `topic`. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlt`;
}

/** Every business topic, role topics included (dead-letter twins not included). */
export function allTopics(): string[] {
  return [...Object.values(Topics), ...AGENT_ROLES.map(stepRequestedTopic)];
}
