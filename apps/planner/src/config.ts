import { z } from 'zod';
import { loadConfig } from '@baton/config';

/** The planner's own settings. */
export const PlannerConfig = z.object({
  /** Attempts a step gets before the task goes to a human. */
  PLANNER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
});
export type PlannerConfig = z.infer<typeof PlannerConfig>;
export const PLANNER_CONFIG = 'PLANNER_CONFIG';
export const loadPlannerConfig = (): PlannerConfig => loadConfig(PlannerConfig);
