import type { ErrorInfo, TaskAdmitted, TaskSubmitted } from '@baton/contracts';
import { PiiRedactor, checkInput, type InputLimits } from '@baton/guard';

/** The input guard's verdict on a submitted task. */
export type InputVerdict = { admit: true; task: TaskAdmitted['data'] } | { admit: false; reason: ErrorInfo };

/**
 * Size limits first (an oversized task is refused whole), then PII redaction of every
 * string the model would see: instruction, text and structured data (keys included),
 * with one numbering per task so two people never share a placeholder.
 */
export function screenInput(task: TaskSubmitted['data'], limits: InputLimits): InputVerdict {
  const size = checkInput({ instruction: task.instruction, input: task.input }, limits);
  if (!size.ok) return { admit: false, reason: { kind: 'user', code: size.code, message: size.message } };

  const redactor = new PiiRedactor();
  const instruction = task.instruction === undefined ? undefined : redactor.redact(task.instruction).text;
  const text = redactor.redact(task.input.text).text;
  const data = task.input.data === undefined ? undefined : (redactor.redactDeep(task.input.data).value as Record<string, unknown>);
  // Every other field of the spec passes through as submitted, so a field added to TaskSpec is never dropped here.
  const { instruction: _instruction, input: _input, idempotencyKey: _key, ...rest } = task;
  return {
    admit: true,
    task: {
      ...rest,
      ...(instruction !== undefined ? { instruction } : {}),
      input: { text, ...(data !== undefined ? { data } : {}) },
      redactions: redactor.redactions,
    },
  };
}
