import { z } from 'zod';
import { IsoText } from '../records/state-record';

/** Layout version of a redrive entry (JSON). Not stored: see records/state-record.ts. Fixtures: redrive@1*.json. */
export const REDRIVE_ENTRY_VERSION = 1;

/** One dead letter's redrive (RedriveEntry), as JSON under `dlq:redrive:{<dead-letter topic>}:<partition>:<offset>`. */
export const RedriveEntryJson = z.strictObject({
  state: z.enum(['pending', 'done']),
  /** `key:<id>` of the API key that asked. */
  by: z.string().min(1),
  at: IsoText,
  /** Where the original went, once done. */
  to: z.strictObject({ topic: z.string().min(1), partition: z.number().int().nonnegative(), offset: z.string().regex(/^\d+$/) }).optional(),
});
export type RedriveEntryJson = z.infer<typeof RedriveEntryJson>;
