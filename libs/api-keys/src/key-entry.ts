import { z } from 'zod';
import { TenantId } from '@baton/contracts';
import { Role } from './roles';

/** Id of a key: how the audit trail and decisions name whoever used it (`key:<id>`). */
export const KeyId = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1 to 64 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit');

/** One API key of the keys file. The key itself is never stored, only its SHA-256. */
export const ApiKeyEntry = z
  .object({
    /** Unique among the keys; decisions and redrives made with the key are recorded as `key:<id>`. */
    id: KeyId,
    /** The tenant whose tasks the key reaches; no key reaches two tenants. */
    tenant: TenantId,
    /** What the key may do; at least one, no repeats. */
    roles: z
      .array(Role)
      .min(1, 'needs at least one role')
      .refine((roles) => new Set(roles).size === roles.length, 'lists a role twice'),
    /** SHA-256 of the key, 64 lowercase hex digits (`baton keys new` prints it). */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be the key's SHA-256 as 64 lowercase hex digits"),
  })
  .strict();
export type ApiKeyEntry = z.infer<typeof ApiKeyEntry>;

/** The keys file: `version: 1` and the list of keys. */
export const ApiKeysFile = z
  .object({
    /** Format version of this file. */
    version: z.literal(1),
    /** The keys; checked one by one so an error can name the entry. */
    keys: z.array(z.unknown()).min(1, 'lists no keys'),
  })
  .strict();
export type ApiKeysFile = z.infer<typeof ApiKeysFile>;

const issuesText = (error: z.ZodError): string => error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`).join('; ');

/**
 * The entries of a parsed keys file. Throws an Error starting with `source` and naming the
 * first bad entry by position and id; also refuses two entries with one id or one key.
 */
export function parseApiKeysFile(raw: unknown, source: string): ApiKeyEntry[] {
  const file = ApiKeysFile.safeParse(raw);
  if (!file.success) throw new Error(`${source}: ${issuesText(file.error)}`);
  const entries = file.data.keys.map((item, i) => {
    const entry = ApiKeyEntry.safeParse(item);
    if (entry.success) return entry.data;
    const id = (item as { id?: unknown } | null)?.id;
    const name = typeof id === 'string' ? ` (id "${id}")` : '';
    throw new Error(`${source}: keys[${i}]${name}: ${issuesText(entry.error)}`);
  });
  checkUnique(entries, source);
  return entries;
}

/** Throws when two entries share an id or a key digest (one key must mean one identity). */
export function checkUnique(entries: readonly ApiKeyEntry[], source: string): void {
  const ids = new Map<string, number>();
  const digests = new Map<string, string>();
  entries.forEach((e, i) => {
    const sameKey = digests.get(e.sha256);
    if (sameKey !== undefined) throw new Error(`${source}: keys[${i}] (id "${e.id}"): the same key as "${sameKey}"; mint a key per entry`);
    digests.set(e.sha256, e.id);
    const sameId = ids.get(e.id);
    if (sameId !== undefined) throw new Error(`${source}: keys[${i}] (id "${e.id}"): the id is taken by keys[${sameId}]`);
    ids.set(e.id, i);
  });
}
