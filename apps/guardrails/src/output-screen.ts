import type { ErrorInfo, OutputProposed } from '@baton/contracts';
import { checkOutput } from '@baton/guard';

/** The output guard's verdict on a proposed output. */
export type OutputVerdict = { approve: true; output: unknown } | { approve: false; reason: ErrorInfo };

/** Checks a proposed output against the step's declared schema (or non-emptiness without one). */
export function screenOutput(proposal: OutputProposed['data']): OutputVerdict {
  const checked = checkOutput(proposal.content, proposal.outputSchema);
  if (checked.ok) return { approve: true, output: checked.output };
  return {
    approve: false,
    reason: {
      kind: 'model',
      code: checked.code,
      message: checked.message,
      ...(checked.issues?.length ? { details: { issues: checked.issues } } : {}),
    },
  };
}
