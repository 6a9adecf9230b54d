import type { ErrorInfo, TaskAdmitted, TaskSubmitted } from '@baton/contracts';
import { checkInput, redactPii, type InputLimits, type Redaction } from '@baton/guard';

/** The input guard's verdict on a submitted task. */
export type InputVerdict = { admit: true; task: TaskAdmitted['data'] } | { admit: false; reason: ErrorInfo };

function mergeRedactions(into: Map<string, number>, found: Redaction[]): void {
  for (const r of found) into.set(r.kind, (into.get(r.kind) ?? 0) + r.count);
}

function redactValue(value: unknown, found: Map<string, number>): unknown {
  if (typeof value === 'string') {
    const r = redactPii(value);
    mergeRedactions(found, r.redactions);
    return r.text;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, found));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, found)]));
  }
  return value;
}

/**
 * Size limits first (an oversized task is refused whole), then PII redaction of every
 * string the model would see: instruction, text and structured data.
 */
export function screenInput(task: TaskSubmitted['data'], limits: InputLimits): InputVerdict {
  const size = checkInput({ instruction: task.instruction, input: task.input }, limits);
  if (!size.ok) return { admit: false, reason: { kind: 'user', code: size.code, message: size.message } };

  const found = new Map<string, number>();
  const text = redactValue(task.input.text, found) as string;
  const data = task.input.data ? (redactValue(task.input.data, found) as Record<string, unknown>) : undefined;
  const instruction = task.instruction ? (redactValue(task.instruction, found) as string) : undefined;
  return {
    admit: true,
    task: {
      taskType: task.taskType,
      ...(instruction ? { instruction } : {}),
      input: { text, ...(data ? { data } : {}) },
      ...(task.outputSchema ? { outputSchema: task.outputSchema } : {}),
      ...(task.needs ? { needs: task.needs } : {}),
      redactions: [...found].map(([kind, count]) => ({ kind, count })),
    },
  };
}
