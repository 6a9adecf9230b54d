import { z } from 'zod';
import { CountText, IntText } from '../records/state-record';
import type { ReservationState } from './budget-ledger';

/*
 * The budget records (see BudgetLedger and budget.scripts.ts). Their layout version is not
 * stored: see records/state-record.ts.
 */

/** Layout version of the reservation hash (KeySpace.budgetReservation). Fixtures: budget-reservation@1*.json. */
export const BUDGET_RESERVATION_VERSION = 1;
/** Layout version of the scope hash (KeySpace.budgetScope). Fixture: budget-scope@1.json. */
export const BUDGET_SCOPE_VERSION = 1;
/** Layout version of the holds hash (KeySpace.budgetScopeHolds). Fixture: budget-holds@1.json. */
export const BUDGET_HOLDS_VERSION = 1;

/**
 * `<taskId> <tenantId> <scope id>...` (scope ids sorted; see reservationIdent); empty in the
 * tombstone of a release that found no record.
 */
const Ident = z.string();

/** The outcome the reserve script answered, kept so a repeated reserve answers it again (parseReserveOutcome). */
const ReserveOutcome = z.string().regex(/^(ok( \d+ [01])*|refused \d+ \d+ \d+ \d+)$/, 'not a reserve outcome');

/** Written by a granted reserve (with `ident`). */
const reserveFields = {
  outcome: ReserveOutcome,
  /** Micro-dollars held in each scope. */
  amount: CountText,
  taskId: z.string().min(1),
  tenantId: z.string().min(1),
  model: z.string().min(1),
  /** When the holds expire, ms since epoch. */
  expiresAt: CountText,
};
/** Written by a release. */
const releaseFields = {
  /** Op id of the release. */
  releasedBy: z.string().min(1),
  /** Micro-dollars the release returned. */
  released: CountText,
};
/** Written by a settle. */
const settleFields = {
  /** Op id of the settle. */
  settledBy: z.string().min(1),
  /** `1` when a scope still held the reservation, so the charge replaced a hold. */
  covered: z.enum(['0', '1']),
  /** Micro-dollars charged. */
  actual: CountText,
  usageEventId: z.string().min(1),
};
const optional = <T extends Record<string, z.ZodType>>(shape: T) => z.object(shape).partial().shape;

/**
 * The reservation hash, by status. A settle or release keeps what the record held before
 * (a release its reserve's fields, a settle those of a reserve, a refusal or a release).
 */
export const BudgetReservationHash = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('reserved'), ident: Ident, ...reserveFields }),
  z.strictObject({ status: z.literal('refused'), outcome: ReserveOutcome, ident: Ident, amount: CountText }),
  z.strictObject({ status: z.literal('released'), ident: Ident, ...releaseFields, ...optional(reserveFields) }),
  z.strictObject({ status: z.literal('settled'), ident: Ident, ...settleFields, ...optional(reserveFields), ...optional(releaseFields) }),
]);
export type BudgetReservationHash = z.infer<typeof BudgetReservationHash>;

/** One scope's counters, integer micro-dollars. */
export const BudgetScopeHash = z.strictObject({
  /** Limit checked by the latest granted reserve. */
  limit: CountText.optional(),
  spent: IntText.optional(),
  /** Held by live reservations (and expired ones not yet swept). */
  reserved: IntText.optional(),
  /** Set once the scope's low-watermark crossing was reported. */
  low: z.literal('1').optional(),
});
export type BudgetScopeHash = z.infer<typeof BudgetScopeHash>;

/** reservationId → micro-dollars the reservation holds in the scope. */
export const BudgetHoldsHash = z.record(z.string().min(1), CountText);
export type BudgetHoldsHash = z.infer<typeof BudgetHoldsHash>;

/** Reads a reservation hash (HGETALL) as BudgetLedger.reservation answers it; undefined when unknown. */
export function readReservation(r: Record<string, string>): ReservationState | undefined {
  const status = r['status'];
  if (status !== 'reserved' && status !== 'refused' && status !== 'settled' && status !== 'released') return undefined;
  const ident = r['ident'] ?? '';
  const state: ReservationState = { status, scopeIds: ident === '' ? [] : ident.split(' ').slice(2) };
  if (r['amount'] !== undefined) state.amountMicros = Number(r['amount']);
  if (status === 'reserved' && r['expiresAt'] !== undefined) state.expiresAt = Number(r['expiresAt']);
  if (r['taskId'] !== undefined) state.taskId = r['taskId'];
  if (r['tenantId'] !== undefined) state.tenantId = r['tenantId'];
  if (r['model'] !== undefined) state.model = r['model'];
  return state;
}
