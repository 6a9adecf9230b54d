import { timingSafeEqual } from 'node:crypto';
import { TenantId } from '@baton/contracts';

/** Maps API keys to tenants. */
export class ApiKeys {
  private constructor(private readonly entries: ReadonlyArray<{ tenant: string; key: Buffer }>) {}

  /** Parses `tenant:key,tenant:key`; throws naming the bad entry. */
  static parse(spec: string): ApiKeys {
    const entries = spec
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf(':');
        const tenant = pair.slice(0, at);
        const key = pair.slice(at + 1);
        if (at <= 0 || key.length < 8 || !TenantId.safeParse(tenant).success) {
          throw new Error(`GATEWAY_API_KEYS: entry "${pair.slice(0, Math.max(at, 0))}:…" must be tenant:key with a key of 8+ characters`);
        }
        return { tenant, key: Buffer.from(key) };
      });
    if (!entries.length) throw new Error('GATEWAY_API_KEYS: no keys configured');
    return new ApiKeys(entries);
  }

  /** The tenant of `key`, or null. Compares in constant time per entry. */
  tenantFor(key: string | undefined): string | null {
    if (!key) return null;
    const given = Buffer.from(key);
    for (const e of this.entries) {
      if (e.key.length === given.length && timingSafeEqual(e.key, given)) return e.tenant;
    }
    return null;
  }
}
