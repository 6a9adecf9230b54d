import { z } from 'zod';
import { NAMESPACE_PATTERN, TopicNamespace, parseTopicList } from '@baton/messaging';
import { token } from '@baton/config';

/** Key prefix of the live keyspace; the state lib's default. */
const LIVE_KEY_PREFIX = 'baton:';

/** The variables that put a service in a namespace (an isolated copy of the pipeline, e.g. a shadow). */
export const NamespaceEnv = z.object({
  /**
   * Namespace of the service: a lowercase word such as `shadow`; unset or empty means live.
   * Topics become `baton.<ns>.<x>`, consumer groups `<group>.<ns>`, Redis keys `baton:<ns>:...`.
   */
  BATON_NAMESPACE: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().regex(NAMESPACE_PATTERN, 'must be a lowercase word (letters and digits, up to 32)').optional(),
  ),
  /** Comma-separated live topics a namespaced service reads as they are, e.g. `baton.task.submitted`. */
  BATON_LIVE_INPUTS: z
    .string()
    .optional()
    .transform((s) => parseTopicList(s))
    .pipe(z.array(z.string().regex(/^baton\.[a-z0-9.-]+$/, 'expected Baton topics (baton.*)'))),
});
export type NamespaceEnv = z.infer<typeof NamespaceEnv>;

/** Where a service lives: live, or a namespace fed by some live topics. */
export interface ServiceNamespace {
  /** Namespace name; null for live. */
  namespace: string | null;
  /** Live topics a namespaced service subscribes to as they are. */
  liveInputs: string[];
  /** Prefix of every Redis key of the service. */
  keyPrefix: string;
}

/** Nest injection token of the service's ServiceNamespace. */
export const SERVICE_NAMESPACE = token<ServiceNamespace>('BATON_SERVICE_NAMESPACE');

/** The Redis key prefix of a namespace: `baton:<ns>:`, or `baton:` for live. */
export function namespaceKeyPrefix(namespace: string | null): string {
  return namespace === null ? LIVE_KEY_PREFIX : `${LIVE_KEY_PREFIX}${namespace}:`;
}

/** The parsed namespace settings; throws (naming the variable) on a bad combination. */
export function serviceNamespace(env: NamespaceEnv): ServiceNamespace {
  const namespace = env.BATON_NAMESPACE ?? null;
  if (namespace === null && env.BATON_LIVE_INPUTS.length > 0) {
    throw new Error('BATON_LIVE_INPUTS is set without BATON_NAMESPACE: live inputs only feed a namespaced service');
  }
  // Validates the combination exactly as the bus will.
  new TopicNamespace({ namespace, liveInputs: env.BATON_LIVE_INPUTS });
  return { namespace, liveInputs: env.BATON_LIVE_INPUTS, keyPrefix: namespaceKeyPrefix(namespace) };
}
