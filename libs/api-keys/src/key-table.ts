import { timingSafeEqual } from 'node:crypto';
import type { ApiKeyEntry } from './key-entry';
import { apiKeyDigest } from './key-hash';
import type { Role } from './roles';

/** Who is calling: the key's entry without its digest. */
export interface Caller {
  /** The entry id; decisions made with the key are recorded as `key:<keyId>`. */
  keyId: string;
  tenant: string;
  roles: readonly Role[];
}

/** How a decision, a redrive or an audit entry names the caller. */
export const callerName = (caller: Pick<Caller, 'keyId'>): string => `key:${caller.keyId}`;

/** The configured keys, looked up by the digest of the key a request presents. */
export class ApiKeyTable {
  private constructor(private readonly entries: ReadonlyArray<{ caller: Caller; digest: Buffer }>) {}

  /** A table of checked entries (parseApiKeysFile, or keys the gateway hashed itself). */
  static of(entries: readonly ApiKeyEntry[]): ApiKeyTable {
    return new ApiKeyTable(entries.map((e) => ({ caller: { keyId: e.id, tenant: e.tenant, roles: [...e.roles] }, digest: Buffer.from(e.sha256, 'hex') })));
  }

  /** How many keys there are. */
  get size(): number {
    return this.entries.length;
  }

  /**
   * The caller `key` belongs to, or null for a missing or unknown key. Every entry is
   * compared, in constant time on equal-length digests, so the answer takes as long for a
   * known key as for an unknown one.
   */
  identify(key: string | undefined): Caller | null {
    if (!key) return null;
    const given = apiKeyDigest(key);
    let found: Caller | null = null;
    for (const e of this.entries) {
      if (timingSafeEqual(e.digest, given) && !found) found = e.caller;
    }
    return found;
  }
}
