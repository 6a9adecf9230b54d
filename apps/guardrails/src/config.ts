import { z } from 'zod';
import { loadConfig } from '@baton/config';

/** The guardrail checker's own settings. */
export const GuardrailsConfig = z.object({
  /** Largest input (text plus structured data, in characters) a task may carry. */
  GUARD_MAX_INPUT_CHARS: z.coerce.number().int().positive().default(20000),
  /** Largest instruction a submitter may give. */
  GUARD_MAX_INSTRUCTION_CHARS: z.coerce.number().int().positive().default(4000),
});
export type GuardrailsConfig = z.infer<typeof GuardrailsConfig>;
export const GUARDRAILS_CONFIG = 'GUARDRAILS_CONFIG';
export const loadGuardrailsConfig = (): GuardrailsConfig => loadConfig(GuardrailsConfig);
