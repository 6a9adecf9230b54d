import { z } from 'zod';

/** Layout version of the rate op hash (KeySpace.rateOp). Not stored: see records/state-record.ts. Fixtures: rate-op@1*.json. */
export const RATE_OP_RECORD_VERSION = 1;

/**
 * An admitted take, as the rate scripts remember it by its op id (a refused take writes
 * nothing). Each scope's own key (KeySpace.rateScope) is a plain decimal string, its TAT.
 */
export const RateOpHash = z.strictObject({
  /** The take's scope ids, space separated, in the take's order. */
  ident: z.string().min(1),
  /** Units the take consumed per scope, space separated, same order. */
  costs: z.string().regex(/^\d+( \d+)*$/, 'not a list of costs'),
  /** Op id of the refund, once there was one. */
  refundedBy: z.string().min(1).optional(),
});
export type RateOpHash = z.infer<typeof RateOpHash>;
