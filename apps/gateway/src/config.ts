import { z } from 'zod';
import { loadConfig, token } from '@baton/config';
import type { ApiKeyTable } from '@baton/api-keys';

/** An optional variable where an empty value means unset (as `.env` files often leave them). */
const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

/** The gateway's own settings. */
export const GatewayConfig = z.object({
  /** `production` refuses plaintext keys from GATEWAY_API_KEYS and the development keys. */
  NODE_ENV: optionalText,
  /**
   * The keys file: SHA-256 digests of the keys, with each key's tenant and roles
   * (docs/api-keys.md). Unset: `config/api-keys.yaml` when there is one.
   */
  GATEWAY_API_KEYS_FILE: optionalText,
  /**
   * Plaintext keys for local use, `tenant:key` (every role) or `tenant/role+role:key`,
   * comma-separated. Unset (and no keys file): the development keys. Refused in production.
   */
  GATEWAY_API_KEYS: optionalText,
  /** How long an idempotency key maps to its task. */
  GATEWAY_IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().positive().default(86400),
  /**
   * How old an unpublished submission (or decision) must be before the sweep publishes it:
   * long enough that the request that stored it has finished publishing it itself.
   */
  GATEWAY_OUTBOX_AFTER_MS: z.coerce.number().int().nonnegative().default(5000),
  /** How often the outbox sweep runs. */
  GATEWAY_OUTBOX_SWEEP_MS: z.coerce.number().int().positive().default(5000),
});
export type GatewayConfig = z.infer<typeof GatewayConfig>;
export const GATEWAY_CONFIG = token<GatewayConfig>('GATEWAY_CONFIG');
export const API_KEYS = token<ApiKeyTable>('API_KEYS');
export const loadGatewayConfig = (): GatewayConfig => loadConfig(GatewayConfig);
