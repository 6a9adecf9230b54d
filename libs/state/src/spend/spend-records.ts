import { z } from 'zod';
import { CountText } from '../records/state-record';

/*
 * The spend maps (see SpendLedger; BudgetLedger's settle writes the same ones). The totals
 * themselves (KeySpace.taskSpend, tenantSpend) are plain integer strings.
 */

/** Layout version of the spend maps below. Not stored: see records/state-record.ts. */
export const SPEND_RECORDS_VERSION = 1;

/** KeySpace.taskUsageEvents: every usage event charged to the task → the op id that charged it. */
export const TaskUsageHash = z.record(z.string().min(1), z.string().min(1));
export type TaskUsageHash = z.infer<typeof TaskUsageHash>;

/** KeySpace.tenantSpendByModel: model → micro-dollars the tenant spent on it. */
export const TenantSpendByModelHash = z.record(z.string().min(1), CountText);
export type TenantSpendByModelHash = z.infer<typeof TenantSpendByModelHash>;

/** KeySpace.tenantSpendByDay: UTC day (yyyy-mm-dd) → micro-dollars the tenant spent that day. */
export const TenantSpendByDayHash = z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), CountText);
export type TenantSpendByDayHash = z.infer<typeof TenantSpendByDayHash>;
