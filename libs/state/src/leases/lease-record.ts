import { z } from 'zod';

/** Layout version of the lease hash (KeySpace.workLease). Not stored: see records/state-record.ts. Fixtures: work-lease@1*.json. */
export const WORK_LEASE_RECORD_VERSION = 1;

/** A lease on one unit of a task's work, as the lease scripts write it. */
export const WorkLeaseHash = z.strictObject({
  /** Who holds (or last held) it. */
  owner: z.string(),
  /** `running` while held (the key expires with the lease); `done` once finished (kept for the done TTL). */
  state: z.enum(['running', 'done']),
});
export type WorkLeaseHash = z.infer<typeof WorkLeaseHash>;
