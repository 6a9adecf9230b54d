import { z } from 'zod';
import { loadConfig } from '@baton/config';

/** The planner's own settings: the defaults of every task's limits. */
export const PlannerConfig = z.object({
  /** Attempts a step gets before the task goes to a human. */
  PLANNER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** Steps a task may run in all. */
  PLANNER_MAX_STEPS: z.coerce.number().int().min(1).max(100).default(20),
  /** Seconds a task may run before it is stopped, unless it asks for less. */
  PLANNER_DEFAULT_DEADLINE_SECONDS: z.coerce.number().int().min(1).default(900),
  /** How often overdue tasks are looked for. */
  PLANNER_DEADLINE_SWEEP_MS: z.coerce.number().int().min(50).default(1000),
});
export type PlannerConfig = z.infer<typeof PlannerConfig>;
export const PLANNER_CONFIG = 'PLANNER_CONFIG';
export const loadPlannerConfig = (): PlannerConfig => loadConfig(PlannerConfig);
