import { z } from 'zod';
import { CommonEnv, loadConfig, token } from '@baton/config';
import { NAMESPACE_PATTERN } from '@baton/messaging';
import type { StateStore } from '@baton/state';

/** What the gateway needs to read a shadow pipeline's keyspace. */
export const ShadowConfig = z.object({
  REDIS_URL: CommonEnv.REDIS_URL,
  /** Namespace the shadow pipeline runs in (its services' BATON_NAMESPACE). */
  BATON_SHADOW_NAMESPACE: z.string().regex(NAMESPACE_PATTERN, 'must be a lowercase word (letters and digits, up to 32)').default('shadow'),
});
export type ShadowConfig = z.infer<typeof ShadowConfig>;
export const SHADOW_CONFIG = token<ShadowConfig>('SHADOW_CONFIG');
/** Injection token of the StateStore over the shadow keyspace. */
export const SHADOW_STATE = token<StateStore>('SHADOW_STATE');
export const loadShadowConfig = (): ShadowConfig => loadConfig(ShadowConfig);
