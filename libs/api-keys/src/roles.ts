import { z } from 'zod';

/**
 * What an API key may do at the gateway. A key holds one or more roles; `admin` may do
 * everything. Which route needs which role is the gateway's table (docs/api-keys.md).
 */
export const Role = z.enum([
  /** Submits tasks and reads its tenant's tasks and spend. */
  'submitter',
  /** Lists, reads and decides escalations; reads tasks. */
  'reviewer',
  /** Reads only: tasks, audit trails, spend, escalations, the shadow report. */
  'viewer',
  /** Everything, dead letters and redrives included. */
  'admin',
]);
export type Role = z.infer<typeof Role>;

/** Every role, in the order above. */
export const ALL_ROLES: readonly Role[] = Role.options;
