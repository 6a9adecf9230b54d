import { z } from 'zod';
import { loadConfig } from '@baton/config';

/** The gateway's own settings. */
export const GatewayConfig = z.object({
  /**
   * Tenant API keys as `tenant:key` pairs, comma-separated. The defaults are for local
   * use only; set real keys in any shared deployment.
   */
  GATEWAY_API_KEYS: z.string().default('acme:dev-key-acme,globex:dev-key-globex'),
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
export const GATEWAY_CONFIG = 'GATEWAY_CONFIG';
export const API_KEYS = 'API_KEYS';
export const loadGatewayConfig = (): GatewayConfig => loadConfig(GatewayConfig);
