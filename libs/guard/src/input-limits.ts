/** Size limits of what a task may ask a model to read. */
export interface InputLimits {
  /** Most characters of input text plus the JSON of input data (default 20 000). */
  maxInputChars: number;
  /** Most characters of the instruction (default 4 000). */
  maxInstructionChars: number;
}

/** Limits applied when a tenant has no own. */
export const DEFAULT_INPUT_LIMITS: InputLimits = { maxInputChars: 20_000, maxInstructionChars: 4_000 };

/** The part of a task spec the size check reads. */
export interface CheckedInput {
  /** What the specialist should do. */
  instruction?: string;
  /** The material to work on. */
  input: { text: string; data?: Record<string, unknown> };
}

/** Outcome of the size check. */
export type InputCheck =
  | { ok: true }
  | { ok: false; code: 'input_too_large' | 'instruction_too_large'; message: string };

function limit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function dataSize(data: Record<string, unknown> | undefined): number {
  if (data === undefined) return 0;
  try {
    return JSON.stringify(data).length;
  } catch {
    // Only reachable from code (parsed events are plain JSON); refuse rather than guess a size.
    return Number.POSITIVE_INFINITY;
  }
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * Rejects inputs too large to send to a model. Sizes are string lengths (UTF-16 code
 * units), the same measure zod's `.max()` uses on the contract; input size is the text
 * plus the JSON of `data`.
 */
export function checkInput(spec: CheckedInput, limits: Partial<InputLimits> = {}): InputCheck {
  const maxInput = limit(limits.maxInputChars, DEFAULT_INPUT_LIMITS.maxInputChars, 'maxInputChars');
  const maxInstruction = limit(limits.maxInstructionChars, DEFAULT_INPUT_LIMITS.maxInstructionChars, 'maxInstructionChars');

  const instructionSize = spec.instruction?.length ?? 0;
  if (instructionSize > maxInstruction) {
    return {
      ok: false,
      code: 'instruction_too_large',
      message: `instruction is ${fmt(instructionSize)} characters; the limit is ${fmt(maxInstruction)}`,
    };
  }
  const size = spec.input.text.length + dataSize(spec.input.data);
  if (size > maxInput) {
    const what = Number.isFinite(size) ? `${fmt(size)} characters` : 'not JSON-serializable';
    return {
      ok: false,
      code: 'input_too_large',
      message: `input (text plus JSON of data) is ${what}; the limit is ${fmt(maxInput)}`,
    };
  }
  return { ok: true };
}
