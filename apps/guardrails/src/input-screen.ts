import type { ErrorInfo, TaskAdmitted, TaskSubmitted } from '@baton/contracts';
import { PiiRedactor, checkInput, detectInjection, type InputLimits, type PiiVault } from '@baton/guard';

/** What the input guard does with a submission that reads as a prompt injection. */
export type InjectionAction = 'reject' | 'flag';

/** The input guard's verdict on a submitted task. */
export type InputVerdict =
  | {
      admit: true;
      task: TaskAdmitted['data'];
      /** Placeholder → original value for the kinds a tool may get back (secrets are never kept). */
      vault: PiiVault;
      /** Injection signals found in an admitted task (action `flag`, or only suspicious). */
      injection?: { verdict: string; rules: string[] };
    }
  | { admit: false; reason: ErrorInfo };

/** Every string of a JSON-like value, keys included. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
  }
  return out;
}

/**
 * Size limits first (an oversized task is refused whole), then prompt-injection detection
 * on what the submitter wrote (instruction, text, structured data), then redaction of
 * personal data and secrets in every string the model would see, with one numbering per
 * task so two people never share a placeholder. Detection is a first line only: what a
 * model can do is contained by the tool permissions and the output guard, whatever it reads.
 */
export function screenInput(task: TaskSubmitted['data'], limits: InputLimits, opts: { injection?: InjectionAction } = {}): InputVerdict {
  const size = checkInput({ instruction: task.instruction, input: task.input }, limits);
  if (!size.ok) return { admit: false, reason: { kind: 'user', code: size.code, message: size.message } };

  // The schema's descriptions and titles reach the model too.
  const injection = detectInjection([task.instruction ?? '', task.input.text, ...strings(task.input.data), ...strings(task.outputSchema)].join('\n'), { source: 'user' });
  const rules = [...new Set(injection.signals.map((s) => s.rule))];
  if (injection.verdict === 'injection' && (opts.injection ?? 'reject') === 'reject') {
    return {
      admit: false,
      reason: { kind: 'user', code: 'prompt_injection', message: `the input reads as an attempt to instruct the model (${rules.join(', ')}); rephrase it as data`, details: { rules } },
    };
  }

  const redactor = new PiiRedactor();
  const instruction = task.instruction === undefined ? undefined : redactor.redact(task.instruction).text;
  const text = redactor.redact(task.input.text).text;
  const data = task.input.data === undefined ? undefined : (redactor.redactDeep(task.input.data).value as Record<string, unknown>);
  const outputSchema = task.outputSchema === undefined ? undefined : (redactor.redactDeep(task.outputSchema).value as Record<string, unknown>);
  // Every other field of the spec passes through as submitted, so a field added to TaskSpec is never dropped here.
  const { instruction: _instruction, input: _input, idempotencyKey: _key, ...rest } = task;
  // Secrets are replaced and forgotten: no tool may ever get one back, so only their
  // placeholders are kept (empty values), which keeps later numbering from reusing them.
  const vault = Object.fromEntries(Object.entries(redactor.vault()).map(([k, v]) => [k, v.kind === 'secret' ? { kind: v.kind, value: '' } : v]));
  return {
    admit: true,
    task: {
      ...rest,
      ...(instruction !== undefined ? { instruction } : {}),
      ...(outputSchema !== undefined ? { outputSchema } : {}),
      input: { text, ...(data !== undefined ? { data } : {}), ...(task.input.untrusted ? { untrusted: true } : {}) },
      redactions: redactor.redactions,
    },
    vault,
    ...(injection.verdict !== 'clean' ? { injection: { verdict: injection.verdict, rules } } : {}),
  };
}
