import { z } from 'zod';
import { loadConfig, token } from '@baton/config';
import { DEFAULT_DEADLINE_SECONDS } from '@baton/contracts';

/** The planner's own settings: the defaults of every task's limits. */
export const PlannerConfig = z.object({
  /** Attempts a step gets before the task goes to a human. */
  PLANNER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** Steps a task may run in all. */
  PLANNER_MAX_STEPS: z.coerce.number().int().min(1).max(100).default(20),
  /** Seconds a task may run before it is stopped, unless it asks for less. */
  PLANNER_DEFAULT_DEADLINE_SECONDS: z.coerce.number().int().min(1).default(DEFAULT_DEADLINE_SECONDS),
  /** Times a plan from the planner agent may be replaced after a step failed for good. */
  PLANNER_MAX_REPLANS: z.coerce.number().int().min(0).max(10).default(2),
  /** Tool calls a task's agents may make in all. */
  PLANNER_MAX_TOOL_CALLS: z.coerce.number().int().min(0).max(200).default(20),
  /** Hand-offs between specialists a task may make. */
  PLANNER_MAX_HANDOFFS: z.coerce.number().int().min(0).max(20).default(3),
  /** Seconds a human has to decide an escalation, unless the task says otherwise. */
  PLANNER_ESCALATION_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(86_400),
  /** What an unanswered escalation does: `fail` the task, or `approve` what is pending. */
  PLANNER_ESCALATION_ON_TIMEOUT: z.enum(['fail', 'approve']).default('fail'),
  /**
   * Whether a submitter may declare `escalation.onTimeout: approve` (what is pending is approved
   * when nobody decides in time). Off: such escalations take PLANNER_ESCALATION_ON_TIMEOUT.
   */
  PLANNER_ALLOW_SUBMITTER_APPROVE_ON_TIMEOUT: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** How often overdue tasks and unanswered escalations are looked for. */
  PLANNER_DEADLINE_SWEEP_MS: z.coerce.number().int().min(50).default(1000),
});
export type PlannerConfig = z.infer<typeof PlannerConfig>;
export const PLANNER_CONFIG = token<PlannerConfig>('PLANNER_CONFIG');
export const loadPlannerConfig = (): PlannerConfig => loadConfig(PlannerConfig);
