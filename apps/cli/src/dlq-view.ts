import { z } from 'zod';

/*
 * The gateway's dead-letter answers as the CLI reads them. Objects are loose so a newer
 * gateway that adds fields still works with this CLI.
 */

/** Where a dead letter is: its original topic, and its partition and offset on that topic's dead-letter twin. */
const Address = {
  topic: z.string().min(1),
  partition: z.number().int().nonnegative(),
  offset: z.string().min(1),
};

/** One dead letter, as `GET /v1/dead-letters` lists it. */
export const DeadLetterSummary = z.looseObject({
  ...Address,
  /** Why: `invalid_json`, `invalid_event`, `no_handler`, `handler_failed`; any string, so a newer one still reads. */
  reason: z.string(),
  /** `transient`, `poison`, or null for records older than the field. */
  kind: z.string().nullable(),
  eventId: z.string().nullable(),
  consumerGroup: z.string(),
  error: z.string(),
  attempts: z.number(),
  failedAt: z.string(),
  truncated: z.boolean(),
});
export type DeadLetterSummary = z.infer<typeof DeadLetterSummary>;

/** The gateway's answer to `GET /v1/dead-letters`. */
export const DeadLetterList = z.looseObject({ deadLetters: z.array(DeadLetterSummary) });
export type DeadLetterList = z.infer<typeof DeadLetterList>;

/** A recorded redrive. */
export const RedriveEntryView = z.looseObject({
  state: z.string(),
  by: z.string(),
  at: z.string(),
  to: z.looseObject(Address).optional(),
});

/** The gateway's answer to `GET /v1/dead-letters/:topic/:partition/:offset`. */
export const DeadLetterView = DeadLetterSummary.extend({
  record: z.looseObject({ value: z.string().nullable(), valueEncoding: z.string(), key: z.string().nullable(), originalTopic: z.string(), partition: z.number(), offset: z.string() }),
  redrive: RedriveEntryView.nullable(),
});
export type DeadLetterView = z.infer<typeof DeadLetterView>;

/** The gateway's answer to a redrive. */
export const RedriveAnswer = z.looseObject({
  status: z.literal('redriven'),
  deadLetter: z.looseObject(Address),
  to: z.looseObject(Address),
  source: z.string(),
});
export type RedriveAnswer = z.infer<typeof RedriveAnswer>;
