import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { ApiKeyEntry } from './key-entry';
import { hashApiKey } from './key-hash';

/** Every minted key starts with this, so people and secret scanners can tell one when they see it. */
export const KEY_PREFIX = 'baton_';

/** Random bytes in a minted key: 256 bits, which is what makes a plain SHA-256 a safe way to store it. */
export const KEY_BYTES = 32;

/** A new API key: the prefix and 32 random bytes in base64url (no padding). */
export function mintApiKey(bytes: Buffer = randomBytes(KEY_BYTES)): string {
  if (bytes.length < KEY_BYTES) throw new Error(`an API key needs ${KEY_BYTES} random bytes, got ${bytes.length}`);
  return `${KEY_PREFIX}${bytes.toString('base64url')}`;
}

/** What the keys file needs besides the digest. */
export type KeyEntryRequest = Omit<ApiKeyEntry, 'sha256'>;

/**
 * Mints a key for `request` and builds its entry. Throws naming the bad field (id, tenant,
 * roles) so nothing is printed that the gateway would refuse at start-up.
 */
export function newApiKey(request: KeyEntryRequest, bytes?: Buffer): { key: string; entry: ApiKeyEntry } {
  const key = mintApiKey(bytes);
  const parsed = ApiKeyEntry.safeParse({ ...request, sha256: hashApiKey(key) });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return { key, entry: parsed.data };
}

/**
 * The entry as YAML, one item of the file's `keys:` list (indented by two spaces), ready to
 * paste or append after the last entry. Text YAML would read as something else (an id
 * like `1e5`, a tenant like `123`) is quoted.
 */
export function formatKeyEntry(entry: ApiKeyEntry): string {
  const e = ApiKeyEntry.parse(entry);
  const text = (value: string) => stringify(value).trimEnd();
  return [`  - id: ${text(e.id)}`, `    tenant: ${text(e.tenant)}`, `    roles: [${e.roles.join(', ')}]`, `    sha256: ${e.sha256}`].join('\n');
}
