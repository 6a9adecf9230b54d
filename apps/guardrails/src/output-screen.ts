import type { ErrorInfo, OutputProposed } from '@baton/contracts';
import { DEFAULT_OUTPUT_RULES, applyOutputRules, checkOutput, type OutputFinding, type OutputRulesConfig, type PiiVault } from '@baton/guard';

/** The output guard's verdict on a proposed output; `findings` are what the leak, link and canary rules found. */
export type OutputVerdict = ({ approve: true; output: unknown } | { approve: false; reason: ErrorInfo }) & { findings: OutputFinding[] };

/** What the output guard checks besides the step's schema. */
export interface OutputScreenOptions {
  rules?: OutputRulesConfig;
  /** The task's placeholders, so a value from the input is recognised as the same one. */
  vault?: PiiVault;
  /** The task's canary: an output that carries it revealed the system prompt. */
  canary?: string;
}

function describe(findings: readonly OutputFinding[]): string {
  return findings.map((f) => `${f.rule} ${f.kind}${f.detail ? ` (${f.detail})` : ''}`).join(', ');
}

/**
 * Checks a proposed output: the step's declared schema (or non-emptiness without one),
 * then the output rules on what passed: personal data and secrets leaking, links and
 * images to hosts not allowed, canary strings. The strictest action found decides:
 * `pass` approves, `redact` approves the redacted output, `reask` blocks with feedback
 * so the step is retried, `block` stops the task (`output_blocked`), `escalate` holds the
 * redacted output for a human (`output_escalated`).
 */
export function screenOutput(proposal: OutputProposed['data'], opts: OutputScreenOptions = {}): OutputVerdict {
  const checked = checkOutput(proposal.content, proposal.outputSchema);
  if (!checked.ok) {
    return {
      approve: false,
      findings: [],
      reason: {
        kind: 'model',
        code: checked.code,
        message: checked.message,
        ...(checked.issues?.length ? { details: { issues: checked.issues } } : {}),
      },
    };
  }
  const ruled = applyOutputRules(checked.output, opts.rules ?? DEFAULT_OUTPUT_RULES, {
    ...(opts.vault ? { vault: opts.vault } : {}),
    ...(opts.canary ? { canaries: [opts.canary] } : {}),
  });
  const { findings } = ruled;
  const found = describe(findings);
  switch (ruled.action) {
    case 'pass':
    case 'redact':
      return { approve: true, output: ruled.output, findings };
    case 'reask':
      return {
        approve: false,
        findings,
        reason: { kind: 'model', code: 'output_policy', message: `the output broke the output rules (${found}); answer again without them`, details: { findings } },
      };
    case 'block':
      return { approve: false, findings, reason: { kind: 'policy', code: 'output_blocked', message: `the output was blocked: ${found}`, details: { findings } } };
    case 'escalate':
      return {
        approve: false,
        findings,
        reason: { kind: 'policy', code: 'output_escalated', message: `the output needs a human's review: ${found}`, details: { findings, output: ruled.output } },
      };
  }
}
