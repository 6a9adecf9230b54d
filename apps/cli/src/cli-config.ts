import { LocalDefaults, loadConfig } from '@baton/config';
import { z } from 'zod';

/** Variables the CLI reads; flags override them. */
export const CliEnv = z.object({
  /** Gateway base URL. */
  BATON_GATEWAY_URL: z.url().default(LocalDefaults.gatewayUrl),
  /** API key sent as `x-api-key`; the default is the local demo tenant's. */
  BATON_API_KEY: z.string().min(1).default('dev-key-acme'),
});
export type CliEnv = z.infer<typeof CliEnv>;

/** Where and as whom the CLI talks to the gateway. */
export interface Connection {
  /** Gateway base URL without a trailing slash. */
  gatewayUrl: string;
  /** API key. */
  apiKey: string;
}

/** Flags first, then the environment, then the local defaults. */
export function resolveConnection(
  flags: { gateway?: string; apiKey?: string },
  env: NodeJS.ProcessEnv = process.env,
): Connection {
  const cfg = loadConfig(CliEnv, env);
  const gatewayUrl = flags.gateway ?? cfg.BATON_GATEWAY_URL;
  if (!z.url().safeParse(gatewayUrl).success) throw new Error(`--gateway: not a URL: ${gatewayUrl}`);
  return { gatewayUrl: gatewayUrl.replace(/\/+$/, ''), apiKey: flags.apiKey ?? cfg.BATON_API_KEY };
}
