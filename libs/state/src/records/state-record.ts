import { z } from 'zod';

/*
 * Every record a store keeps in Redis has a schema of its stored form and a layout version,
 * like an event. None of the records stores its version: adding a field would change what
 * is written (and what older readers see). The version is a constant next to the schema
 * instead. Changing what a store writes is a compatibility decision: bump the version, keep
 * the old version's schema and fixture (libs/state/fixtures/<kind>@<version>.json), and keep
 * the store's reader accepting both. The record fixtures' integration spec fails when what a
 * store writes no longer equals the fixture of the record's current version.
 */

/** Thrown when a stored record cannot be read back: a bug or a foreign writer, never user input. */
export class CorruptRecordError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`task record ${key} is corrupt: ${reason}`);
    this.name = 'CorruptRecordError';
  }
}

/** How a record sits in Redis. */
export type RecordStorage = 'hash' | 'json' | 'string';

/** One version of one kind of record. */
export interface StateRecordVersion {
  /** Kind, kebab-case; its fixtures are `<kind>@<version>.json` and `<kind>@<version>.<state>.json`. */
  kind: string;
  /** Layout version. */
  version: number;
  /** A hash (fixtures hold it as field → text), JSON text (fixtures hold the parsed value), or a plain string. */
  storage: RecordStorage;
  /** Where it lives (KeySpace method or key pattern), for readers of the docs. */
  key: string;
  /** What the stores write, in the form the fixtures hold. */
  schema: z.ZodType;
  /**
   * The store's own reader of the kind, when it has one; the current version's is used: it
   * must read every version's fixtures (a stored record outlives the code that wrote it).
   */
  read?: (value: unknown) => unknown;
}

/** Integer text, as Redis keeps counters and Lua writes whole numbers. */
export const IntText = z.string().regex(/^-?\d+$/, 'not an integer');

/** Non-negative integer text (amounts in micro-dollars, counts, ms since epoch). */
export const CountText = z.string().regex(/^\d+$/, 'not a non-negative integer');

/** An ISO 8601 UTC timestamp as Date#toISOString writes it. */
export const IsoText = z.string().datetime();

/** Text holding JSON that `schema` accepts. */
export function jsonText<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `not JSON (${(err as Error).message})` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}
